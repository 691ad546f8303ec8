import { Controller, Inject } from '@nestjs/common';
import { RpcEnvelope, ServiceHealth } from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { HEALTH_INDICATORS, HealthIndicator, runHealthChecks } from '@app/observability';

/** `notification.health` over NATS, for the gateway's `/health/ready`: database and Redis. */
@Controller()
export class NotificationHealthController {
  constructor(@Inject(HEALTH_INDICATORS) private readonly indicators: HealthIndicator[]) {}

  @RpcHandler('notification.health')
  async health(_envelope: RpcEnvelope<Record<string, never>>): Promise<ServiceHealth> {
    return { service: 'notification', ...(await runHealthChecks(this.indicators)) };
  }
}
