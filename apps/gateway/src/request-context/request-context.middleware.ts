import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { RequestContext } from '@app/observability';
import { GatewayRequest } from './gateway-request';

/**
 * Opens the request's AsyncLocalStorage context after the body parser: a stream-reading parser may
 * resume in another async context, so the context is entered only once the body is in. Everything
 * below (guards, controllers, RpcClient, log lines) then sees the same call context object.
 */
@Injectable()
export class RequestContextMiddleware implements NestMiddleware {
  use(req: Request, _res: Response, next: NextFunction): void {
    RequestContext.run((req as GatewayRequest).callContext, () => next());
  }
}
