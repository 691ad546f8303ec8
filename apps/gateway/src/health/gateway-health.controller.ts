import { Controller, Get, Header, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { SkipThrottle } from '@nestjs/throttler';
import type { Response } from 'express';
import { Metrics } from '@app/observability';
import { ACCOUNT_THROTTLER, IP_THROTTLER } from '../rate-limit/gateway-throttler.guard';
import { Public } from '../security/public.decorator';
import { ReadinessService } from './readiness.service';

/** `/health`, `/health/ready` and `/metrics` at the root, outside `/api/v1` (OPS-1). */
@ApiExcludeController()
@Public()
@SkipThrottle({ [IP_THROTTLER]: true, [ACCOUNT_THROTTLER]: true })
@Controller()
export class GatewayHealthController {
  constructor(
    private readonly readiness: ReadinessService,
    private readonly metrics: Metrics,
  ) {}

  @Get('health')
  health(): { status: 'up' } {
    return { status: 'up' };
  }

  /**
   * The gateway process's readiness (Redis and its NATS connection), for probes and load balancers.
   * `?scope=platform` answers the platform-wide view instead: 200 only when, besides, every service
   * answers over NATS with its database and Redis reachable (shared between callers for a second).
   */
  @Get('health/ready')
  async ready(@Query('scope') scope: string | undefined, @Res() res: Response): Promise<void> {
    const report = scope === 'platform' ? await this.readiness.platform() : await this.readiness.self();
    res.status(report.status === 'up' ? 200 : 503).json(report);
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4; charset=utf-8')
  async metricsText(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
