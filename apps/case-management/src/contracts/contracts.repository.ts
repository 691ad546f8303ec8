import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { TenantScope } from '../caller/case-caller';
import { Contract } from './contract.entity';
import { ServiceDefinition } from './service-definition.entity';

/** A contract with its service, as every read of a contract needs both. */
export interface ContractWithService {
  contract: Contract;
  service: ServiceDefinition;
}

/** All I/O of services and contracts (CASE-1). */
@Injectable()
export class ContractsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async insertService(manager: EntityManager, service: ServiceDefinition): Promise<void> {
    await manager.insert(ServiceDefinition, service as QueryDeepPartialEntity<ServiceDefinition>);
  }

  listServices(): Promise<ServiceDefinition[]> {
    return this.dataSource.manager.find(ServiceDefinition, { order: { code: 'ASC' } });
  }

  findService(code: string): Promise<ServiceDefinition | null> {
    return this.dataSource.manager.findOneBy(ServiceDefinition, { code });
  }

  async insertContract(manager: EntityManager, contract: Contract): Promise<void> {
    // jsonb columns are typed for what they hold, which TypeORM's deep-partial type cannot follow.
    await manager.insert(Contract, contract as QueryDeepPartialEntity<Contract>);
  }

  /** Operators: every contract of one tenant. */
  async contractsOfTenant(tenant: string): Promise<ContractWithService[]> {
    const contracts = await this.dataSource.manager.find(Contract, {
      where: { tenantNumber: tenant },
      order: { serviceCode: 'ASC' },
    });
    return this.withServices(contracts);
  }

  /** Operators: one contract by id, locked until `manager`'s transaction ends. */
  async lockContract(manager: EntityManager, id: string): Promise<Contract | null> {
    return manager.findOne(Contract, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async saveContract(manager: EntityManager, contract: Contract): Promise<void> {
    await manager.save(Contract, contract);
  }

  async withService(contract: Contract): Promise<ContractWithService> {
    return (await this.withServices([contract]))[0];
  }

  /** Customers: the contracts of their active tenant (CASE-1 "service settings"). */
  async contractsInScope(scope: TenantScope): Promise<ContractWithService[]> {
    return this.contractsOfTenant(scope.tenant);
  }

  /** Customers: one contract of their active tenant; another tenant's is null, as a missing one. */
  async contractInScope(scope: TenantScope, id: string): Promise<ContractWithService | null> {
    const contract = await this.dataSource.manager.findOneBy(Contract, { id, tenantNumber: scope.tenant });
    return contract ? this.withService(contract) : null;
  }

  /** The tenant's contract for a service, or null: what decides where cases may be opened. */
  contractFor(tenant: string, serviceCode: string, manager?: EntityManager): Promise<Contract | null> {
    return (manager ?? this.dataSource.manager).findOneBy(Contract, { tenantNumber: tenant, serviceCode });
  }

  private async withServices(contracts: Contract[]): Promise<ContractWithService[]> {
    const services = await this.listServices();
    const byCode = new Map(services.map((s) => [s.code, s]));
    return contracts.map((contract) => ({ contract, service: byCode.get(contract.serviceCode)! }));
  }
}
