import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, ErrorCode } from '@app/contracts';
import { GatewayRequest } from '../request-context/gateway-request';
import { AccessTokenAuthenticator } from './access-token.authenticator';
import { IS_PUBLIC } from './public.decorator';

const BEARER = /^Bearer ([A-Za-z0-9_.~+/=-]+)$/;

/**
 * Global guard: every route needs a valid access token unless marked @Public(). The verified
 * principal is put on the request for the gateway's own guards, and the token itself into the call
 * context, so RpcClient sends it to the services, which verify it again and derive the principal.
 */
@Injectable()
export class JwtAuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly authenticator: AccessTokenAuthenticator,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (
      this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, [
        context.getHandler(),
        context.getClass(),
      ])
    ) {
      return true;
    }
    const req = context.switchToHttp().getRequest<GatewayRequest>();
    const token = BEARER.exec(req.headers?.authorization ?? '')?.[1];
    if (!token) {
      // Missing or malformed: the client only learns that it must log in.
      throw new DomainError(ErrorCode.Unauthorized);
    }
    req.user = await this.authenticator.authenticate(token);
    if (req.callContext) {
      req.callContext.accessToken = token;
    }
    return true;
  }
}
