import { Controller, Inject } from '@nestjs/common';
import { RpcEnvelope, RpcRequest, ServiceHealth } from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { HEALTH_INDICATORS, HealthIndicator, runHealthChecks } from '@app/observability';

/** The service's health over NATS (database and the stream connection), for the gateway (OPS-1). */
@Controller()
export class AuditHealthController {
  constructor(@Inject(HEALTH_INDICATORS) private readonly indicators: HealthIndicator[]) {}

  @RpcHandler('audit-trail.health')
  async health(_envelope: RpcEnvelope<RpcRequest<'audit-trail.health'>>): Promise<ServiceHealth> {
    return { service: 'audit', ...(await runHealthChecks(this.indicators)) };
  }
}
