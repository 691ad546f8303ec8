import { Controller, Get, Header, HttpCode, Inject, Res } from '@nestjs/common';
import type { Response } from 'express';
import { HEALTH_INDICATORS, HealthIndicator, runHealthChecks } from './health-indicator';
import { Metrics } from './metrics';

/** `/health`, `/health/ready` and `/metrics` of a back-end service (OPS-1). */
@Controller()
export class HealthController {
  constructor(
    @Inject(HEALTH_INDICATORS) private readonly indicators: HealthIndicator[],
    private readonly metrics: Metrics,
  ) {}

  @Get('health')
  @HttpCode(200)
  health(): { status: 'up' } {
    return { status: 'up' };
  }

  @Get('health/ready')
  async ready(@Res() res: Response): Promise<void> {
    const report = await runHealthChecks(this.indicators);
    res.status(report.status === 'up' ? 200 : 503).json(report);
  }

  @Get('metrics')
  @Header('Content-Type', 'text/plain; version=0.0.4')
  async metricsText(): Promise<string> {
    return this.metrics.registry.metrics();
  }
}
