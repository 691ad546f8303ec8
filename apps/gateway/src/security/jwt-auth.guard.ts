import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { AuthGuard } from '@nestjs/passport';
import { DomainError, ErrorCode, Principal } from '@app/contracts';
import { GatewayRequest } from '../request-context/gateway-request';
import { JWT_STRATEGY } from './jwt.strategy';
import { BEARER_WHEN_SENT, IS_PUBLIC } from './public.decorator';

/**
 * Global guard: every route needs a valid access token unless marked @Public(). The verified
 * principal is put on the request and into the call context, so RpcClient sends it to the services.
 */
@Injectable()
export class JwtAuthGuard extends AuthGuard(JWT_STRATEGY) {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override canActivate(context: ExecutionContext): Promise<boolean> | boolean {
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets)) {
      const optional = this.reflector.getAllAndOverride<boolean | undefined>(BEARER_WHEN_SENT, targets);
      const sent = context.switchToHttp().getRequest<GatewayRequest>().headers?.authorization !== undefined;
      return optional && sent ? (super.canActivate(context) as Promise<boolean>) : true;
    }
    return super.canActivate(context) as Promise<boolean>;
  }

  override handleRequest<TUser = Principal>(
    err: unknown,
    user: unknown,
    _info: unknown,
    context: ExecutionContext,
  ): TUser {
    if (err instanceof DomainError) {
      throw err;
    }
    if (err || !user) {
      // Missing, malformed, expired or badly signed: the client only learns that it must log in.
      throw new DomainError(ErrorCode.Unauthorized);
    }
    const principal = user as Principal;
    const req = context.switchToHttp().getRequest<GatewayRequest>();
    if (req.callContext) {
      req.callContext.principal = principal;
    }
    return principal as TUser;
  }
}
