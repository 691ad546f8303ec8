import { Controller } from '@nestjs/common';
import {
  AlertRequest,
  AlertResult,
  CreatedIntegrationView,
  CreateIntegrationDto,
  IdParam,
  IntegrationKeyPrefixRequest,
  IntegrationKeyRecord,
  IntegrationView,
  RpcEnvelope,
} from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { AlertsService } from './alerts.service';
import { IntegrationKeysService } from './integration-keys.service';

/** Integrations and their alerts over NATS (CASE-9); the rules live in the services. */
@Controller()
export class IntegrationsController {
  constructor(
    private readonly keys: IntegrationKeysService,
    private readonly alerts: AlertsService,
  ) {}

  @RpcHandler('case-management.integration.create')
  async create({ ctx, data }: RpcEnvelope<CreateIntegrationDto>): Promise<CreatedIntegrationView> {
    return this.keys.create(ctx.principal, data);
  }

  @RpcHandler('case-management.integration.list')
  async list({ ctx }: RpcEnvelope<Record<string, never>>): Promise<IntegrationView[]> {
    return this.keys.list(ctx.principal);
  }

  @RpcHandler('case-management.integration.revoke')
  async revoke({ ctx, data }: RpcEnvelope<IdParam>): Promise<IntegrationView> {
    return this.keys.revoke(ctx.principal, data.id);
  }

  /** Only the gateway may send this (NATS permissions): it checks presented keys with the answer. */
  @RpcHandler('case-management.integration.key')
  async key({ data }: RpcEnvelope<IntegrationKeyPrefixRequest>): Promise<IntegrationKeyRecord | null> {
    return this.keys.record(data.prefix);
  }

  /** Only the gateway may send this, for a key it verified; the service checks the key again. */
  @RpcHandler('case-management.integration.alert')
  async alert({ ctx, data }: RpcEnvelope<AlertRequest>): Promise<AlertResult> {
    return this.alerts.apply(data, ctx.language ?? 'en');
  }
}
