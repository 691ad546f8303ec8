import { Controller, Get, Res } from '@nestjs/common';
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

  @Get('health/ready')
  async ready(@Res() res: Response): Promise<void> {
    const report = await this.readiness.check();
    res.status(report.status === 'up' ? 200 : 503).json(report);
  }
}
