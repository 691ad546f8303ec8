import { Controller, Inject } from '@nestjs/common';
import { RpcEnvelope, RpcRequest, ServiceHealth } from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { HEALTH_INDICATORS, HealthIndicator, runHealthChecks } from '@app/observability';

/** The service's health over NATS, for the gateway's aggregate readiness (OPS-1). */
@Controller()
export class CaseManagementHealthController {
  constructor(@Inject(HEALTH_INDICATORS) private readonly indicators: HealthIndicator[]) {}

  @RpcHandler('case-management.health')
  async health(_envelope: RpcEnvelope<RpcRequest<'case-management.health'>>): Promise<ServiceHealth> {
    return { service: 'case-management', ...(await runHealthChecks(this.indicators)) };
  }
}
