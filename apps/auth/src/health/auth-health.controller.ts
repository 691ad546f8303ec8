import { Controller, Inject } from '@nestjs/common';
import { RpcEnvelope, ServiceHealth } from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { HEALTH_INDICATORS, HealthIndicator, runHealthChecks } from '@app/observability';

/** `auth.health`: the gateway's readiness asks every service over NATS (API.md "readiness"). */
@Controller()
export class AuthHealthController {
  constructor(@Inject(HEALTH_INDICATORS) private readonly indicators: HealthIndicator[]) {}

  @RpcHandler('auth.health')
  async health(_envelope: RpcEnvelope<Record<string, never>>): Promise<ServiceHealth> {
    const report = await runHealthChecks(this.indicators);
    return { service: 'auth', status: report.status, checks: report.checks };
  }
}
