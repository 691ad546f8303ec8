import { Controller } from '@nestjs/common';
import {
  ContractView,
  CreateContractRequest,
  CreateServiceDto,
  IdParam,
  RpcEnvelope,
  ServiceSettingDetailView,
  ServiceSettingView,
  ServiceView,
  TenantRequest,
  UpdateContractRequest,
} from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { ContractsService } from './contracts.service';

type Empty = Record<string, never>;

/** Services, contracts and service settings over NATS (CASE-1); the rules live in ContractsService. */
@Controller()
export class ContractsController {
  constructor(private readonly contracts: ContractsService) {}

  @RpcHandler('case-management.service.create')
  async createService({ ctx, data }: RpcEnvelope<CreateServiceDto>): Promise<ServiceView> {
    return this.contracts.createService(ctx.principal, data);
  }

  @RpcHandler('case-management.service.list')
  async listServices({ ctx }: RpcEnvelope<Empty>): Promise<ServiceView[]> {
    return this.contracts.listServices(ctx.principal);
  }

  @RpcHandler('case-management.contract.create')
  async createContract({ ctx, data }: RpcEnvelope<CreateContractRequest>): Promise<ContractView> {
    const { tenant, ...dto } = data;
    return this.contracts.createContract(ctx.principal, tenant, dto);
  }

  @RpcHandler('case-management.contract.list')
  async listContracts({ ctx, data }: RpcEnvelope<TenantRequest>): Promise<ContractView[]> {
    return this.contracts.listContracts(ctx.principal, data.tenant);
  }

  @RpcHandler('case-management.contract.update')
  async updateContract({ ctx, data }: RpcEnvelope<UpdateContractRequest>): Promise<ContractView> {
    const { id, ...changes } = data;
    return this.contracts.updateContract(ctx.principal, id, changes);
  }

  @RpcHandler('case-management.service_setting.list')
  async serviceSettings({ ctx }: RpcEnvelope<Empty>): Promise<ServiceSettingView[]> {
    return this.contracts.serviceSettings(ctx.principal, ctx.language ?? 'en');
  }

  @RpcHandler('case-management.service_setting.get')
  async serviceSetting({ ctx, data }: RpcEnvelope<IdParam>): Promise<ServiceSettingDetailView> {
    return this.contracts.serviceSetting(ctx.principal, data.id, ctx.language ?? 'en');
  }
}
