import { All, Controller, HttpCode, Inject, Next, OnModuleDestroy, Post, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type Redis from 'ioredis';
import { Queue } from 'bullmq';
import { APP_CONFIG, Clock, GatewayEnv } from '@app/config';
import { API_PREFIX } from '../bootstrap/configure-app';
import { GATEWAY_REDIS } from '../redis/gateway-redis';
import { GatewayRequest } from '../request-context/gateway-request';
import { setBearerCookie } from '../security/bearer-cookie';
import { BearerFromCookie } from '../security/public.decorator';
import { Roles } from '../security/roles.decorator';
import { createQueueBoard, QUEUE_BOARD_PATH } from './queue-board';

const BASE_PATH = `/${API_PREFIX}/${QUEUE_BOARD_PATH}`;

/** The httpOnly cookie that lets a browser tab open the dashboard by plain navigation. */
export const QUEUE_BOARD_COOKIE = 'mamori_queues';

/**
 * The notification queues' dashboard (Bull Board) for operators: every request, its pages, scripts
 * and JSON alike, passes the gateway's guards (a valid access token, the operator role) before it
 * reaches the board. An HTML tool, not part of the API, so it is left out of the API document.
 * A browser tab cannot send the `Authorization` header, so the portal first calls `POST
 * /ops/queues/session`, which copies the caller's access token into an httpOnly, SameSite=Strict
 * cookie sent only to the dashboard's path and gone when the token expires; the dashboard's reads
 * accept it (read-only board, reads only: see `BearerFromCookie`).
 */
@ApiExcludeController()
@Roles('operator')
@Controller(QUEUE_BOARD_PATH)
export class OpsQueuesController implements OnModuleDestroy {
  private readonly router: RequestHandler;
  private readonly queues: Queue[];

  constructor(
    @Inject(GATEWAY_REDIS) redis: Redis,
    @Inject(APP_CONFIG) config: GatewayEnv,
    private readonly clock: Clock,
  ) {
    ({ router: this.router, queues: this.queues } = createQueueBoard(redis, config.REDIS_PREFIX, BASE_PATH));
  }

  @Post('session')
  @HttpCode(204)
  openSession(@Req() req: GatewayRequest, @Res({ passthrough: true }) res: Response): void {
    setBearerCookie(req, res, this.clock.now(), { name: QUEUE_BOARD_COOKIE, paths: [BASE_PATH] });
  }

  @BearerFromCookie(QUEUE_BOARD_COOKIE)
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
