import { NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from 'pino';
import { Metrics } from '@app/observability';

/**
 * Measures every request once it is answered, labelled by route pattern (never the raw path, whose
 * ids would explode the label set), and writes one access line with the request id. Built by
 * configureApp with the process's logger.
 */
export class HttpMetricsMiddleware implements NestMiddleware {
  constructor(
    private readonly metrics: Metrics,
    private readonly logger: Logger,
  ) {}

  use(req: Request, res: Response, next: NextFunction): void {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const pattern = (req.route as { path?: unknown } | undefined)?.path;
      const route = typeof pattern === 'string' ? `${req.baseUrl}${pattern}` : 'unmatched';
      const status = String(res.statusCode);
      this.metrics.httpDuration.observe({ method: req.method, route, status }, seconds);
      this.logger.info(
        {
          requestId: res.getHeader('X-Request-Id'),
          method: req.method,
          route,
          status: res.statusCode,
          ms: Math.round(seconds * 1000),
        },
        'request',
      );
    });
    next();
  }
}
