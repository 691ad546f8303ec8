import { randomUUID } from 'node:crypto';
import { Injectable, NestMiddleware } from '@nestjs/common';
import type { NextFunction, Request, Response } from 'express';
import { GatewayRequest } from './gateway-request';
import { languageFrom } from './language.util';

/**
 * A caller may bring its own id (a frontend correlating its logs) but only in a safe shape: it goes
 * into every log line and audit event, so anything long or with other characters is replaced.
 */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;
export const REQUEST_ID_HEADER = 'X-Request-Id';
const MAX_USER_AGENT = 512;

/**
 * First middleware of every request: picks the request id, echoes it, and builds the call context
 * (id, client address, user agent, language) that travels with every NATS call made for it.
 * It runs before the body parser so that even a malformed body gets an answer with an id.
 */
@Injectable()
export class RequestIdMiddleware implements NestMiddleware {
  use(req: Request, res: Response, next: NextFunction): void {
    const incoming = req.get(REQUEST_ID_HEADER);
    const requestId = incoming !== undefined && REQUEST_ID_PATTERN.test(incoming) ? incoming : randomUUID();
    const gatewayReq = req as GatewayRequest;
    gatewayReq.requestId = requestId;
    gatewayReq.language = languageFrom(req.get('accept-language'));
    const userAgent = req.get('user-agent');
    gatewayReq.callContext = {
      requestId,
      ip: req.ip,
      userAgent: userAgent === undefined ? undefined : userAgent.slice(0, MAX_USER_AGENT),
      language: gatewayReq.language,
    };
    res.setHeader(REQUEST_ID_HEADER, requestId);
    next();
  }
}
