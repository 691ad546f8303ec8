import { Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import {
  ContractView,
  CreateContractDto,
  CreateServiceDto,
  DomainError,
  ErrorCode,
  Language,
  Principal,
  ServiceSettingDetailView,
  ServiceSettingView,
  ServiceView,
  UpdateContractDto,
} from '@app/contracts';
import { OutboxWriter } from '@app/database';
import { RpcClient } from '@app/messaging';
import { customerOf, operatorOf } from '../caller/case-caller';
import { IdSource } from '../common/id-source';
import { isUniqueViolation } from '../common/unique-violation.util';
import { Contract } from './contract.entity';
import {
  contractView,
  serviceSettingDetailView,
  serviceSettingView,
  serviceView,
} from './contract-views.util';
import { ContractsRepository } from './contracts.repository';

/**
 * CASE-1: operators define services and contract them to tenants; customers read their tenant's
 * contracts as "service settings". Every change is recorded in the outbox in its own transaction.
 */
@Injectable()
export class ContractsService {
  constructor(
    private readonly repository: ContractsRepository,
    private readonly outbox: OutboxWriter,
    private readonly rpc: RpcClient,
    private readonly clock: Clock,
    private readonly ids: IdSource,
  ) {}

  async createService(principal: Principal | undefined, dto: CreateServiceDto): Promise<ServiceView> {
    const operator = operatorOf(principal);
    const service = {
      code: dto.code,
      nameJa: dto.name.ja,
      nameEn: dto.name.en,
      settingsSchema: dto.settingsSchema ?? null,
      createdAt: this.clock.now(),
    };
    try {
      await this.repository.transaction(async (manager) => {
        await this.repository.insertService(manager, service);
        await this.outbox.record(manager, {
          type: 'case-management.service.created',
          actor: { userId: operator.userId },
          target: { type: 'service', id: service.code },
          outcome: 'success',
        });
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DomainError(ErrorCode.Conflict, { code: dto.code });
      }
      throw error;
    }
    return serviceView(service);
  }

  async listServices(principal: Principal | undefined): Promise<ServiceView[]> {
    operatorOf(principal);
    return (await this.repository.listServices()).map(serviceView);
  }

  async createContract(
    principal: Principal | undefined,
    tenant: string,
    dto: CreateContractDto,
  ): Promise<ContractView> {
    const operator = operatorOf(principal);
    const service = await this.repository.findService(dto.service);
    if (!service) {
      throw new DomainError(ErrorCode.NotFound, { service: dto.service });
    }
    // The tenant is the auth service's: its name becomes the contractor shown on the cases.
    const known = (await this.rpc.send('auth.tenant.list', {})).find((t) => t.number === tenant);
    if (!known) {
      throw new DomainError(ErrorCode.NotFound, { tenant });
    }
    const now = this.clock.now();
    const contract: Contract = {
      id: this.ids.uuid(),
      tenantNumber: tenant,
      contractor: known.name,
      serviceCode: service.code,
      startDate: dto.startDate.slice(0, 10),
      licenceType: dto.licenceType ?? null,
      idCount: dto.idCount ?? null,
      settings: dto.settings ?? {},
      createdAt: now,
      updatedAt: now,
    };
    try {
      await this.repository.transaction(async (manager) => {
        await this.repository.insertContract(manager, contract);
        await this.outbox.record(manager, {
          type: 'case-management.contract.created',
          actor: { userId: operator.userId },
          target: { type: 'contract', id: contract.id },
          outcome: 'success',
          tenants: [tenant],
        });
      });
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new DomainError(ErrorCode.Conflict, { tenant, service: service.code });
      }
      throw error;
    }
    return contractView(contract, service);
  }

  async listContracts(principal: Principal | undefined, tenant: string): Promise<ContractView[]> {
    operatorOf(principal);
    return (await this.repository.contractsOfTenant(tenant)).map((c) => contractView(c.contract, c.service));
  }

  async updateContract(
    principal: Principal | undefined,
    id: string,
    changes: UpdateContractDto,
  ): Promise<ContractView> {
    const operator = operatorOf(principal);
    const updated = await this.repository.transaction(async (manager) => {
      const contract = await this.repository.lockContract(manager, id);
      if (!contract) {
        throw new DomainError(ErrorCode.NotFound);
      }
      const next: Contract = {
        ...contract,
        startDate: changes.startDate?.slice(0, 10) ?? contract.startDate,
        // Left out keeps a term; null clears it (a contract without a licence type or ID count).
        licenceType: changes.licenceType === undefined ? contract.licenceType : changes.licenceType,
        idCount: changes.idCount === undefined ? contract.idCount : changes.idCount,
        settings: changes.settings ?? contract.settings,
        updatedAt: this.clock.now(),
      };
      await this.repository.saveContract(manager, next);
      await this.outbox.record(manager, {
        type: 'case-management.contract.updated',
        actor: { userId: operator.userId },
        target: { type: 'contract', id },
        outcome: 'success',
        tenants: [contract.tenantNumber],
      });
      return next;
    });
    const { service } = await this.repository.withService(updated);
    return contractView(updated, service);
  }

  async serviceSettings(principal: Principal | undefined, language: Language): Promise<ServiceSettingView[]> {
    const customer = customerOf(principal);
    return (await this.repository.contractsInScope(customer.scope)).map((c) =>
      serviceSettingView(c.contract, c.service, language),
    );
  }

  async serviceSetting(
    principal: Principal | undefined,
    id: string,
    language: Language,
  ): Promise<ServiceSettingDetailView> {
    const customer = customerOf(principal);
    const found = await this.repository.contractInScope(customer.scope, id);
    if (!found) {
      throw new DomainError(ErrorCode.NotFound);
    }
    return serviceSettingDetailView(found.contract, found.service, language);
  }
}
