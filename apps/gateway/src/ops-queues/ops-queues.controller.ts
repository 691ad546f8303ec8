import { All, Controller, Inject, Next, OnModuleDestroy, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type Redis from 'ioredis';
import { Queue } from 'bullmq';
import { APP_CONFIG, GatewayEnv } from '@app/config';
import { API_PREFIX } from '../bootstrap/configure-app';
import { GATEWAY_REDIS } from '../redis/gateway-redis';
import { Roles } from '../security/roles.decorator';
import { createQueueBoard, QUEUE_BOARD_PATH } from './queue-board';

const BASE_PATH = `/${API_PREFIX}/${QUEUE_BOARD_PATH}`;

/**
 * The notification queues' dashboard (Bull Board) for operators: every request, its pages, scripts
 * and JSON alike, passes the gateway's guards (a valid access token, the operator role) before it
 * reaches the board. An HTML tool, not part of the API, so it is left out of the API document.
 */
@ApiExcludeController()
@Roles('operator')
@Controller(QUEUE_BOARD_PATH)
export class OpsQueuesController implements OnModuleDestroy {
  private readonly router: RequestHandler;
  private readonly queues: Queue[];

  constructor(@Inject(GATEWAY_REDIS) redis: Redis, @Inject(APP_CONFIG) config: GatewayEnv) {
    ({ router: this.router, queues: this.queues } = createQueueBoard(redis, config.REDIS_PREFIX, BASE_PATH));
  }

  @All(['', '{*path}'])
  serve(@Req() req: Request, @Res() res: Response, @Next() next: NextFunction): void {
    // The board's router expects paths below its mount point, as `app.use(path, router)` would give.
    req.url = req.originalUrl.slice(BASE_PATH.length) || '/';
    if (!req.url.startsWith('/')) {
      req.url = `/${req.url}`;
    }
    this.router(req, res, next);
  }

  async onModuleDestroy(): Promise<void> {
    // The connection is the gateway's; only the queue objects are closed.
    await Promise.all(this.queues.map((q) => q.close()));
  }
}
