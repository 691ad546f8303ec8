import { Controller, Get, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '../security/public.decorator';
import { ReadinessService } from './readiness.service';

/**
 * `/health` and `/health/ready` at the root, outside `/api/v1` (OPS-1). `/metrics` is not here: it
 * is served on the gateway's own metrics port (MetricsServer), never on the public one.
 */
@ApiExcludeController()
@Public()
@Controller()
export class GatewayHealthController {
  constructor(private readonly readiness: ReadinessService) {}

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
}
