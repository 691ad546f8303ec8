import type { Request } from 'express';
import { CallContext, Language, Principal } from '@app/contracts';

/**
 * The Express request as the gateway's middlewares leave it: every request has an id and a call
 * context (the same object RequestContext holds, so the principal added by the JWT guard reaches
 * RpcClient); `user` is the principal once the access token has been verified.
 */
export interface GatewayRequest extends Request {
  requestId: string;
  language: Language;
  callContext: CallContext;
  user?: Principal;
}
