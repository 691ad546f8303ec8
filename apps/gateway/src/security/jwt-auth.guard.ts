import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, ErrorCode } from '@app/contracts';
import { GatewayRequest } from '../request-context/gateway-request';
import { AccessTokenAuthenticator } from './access-token.authenticator';
import { BEARER_COOKIE, BEARER_WHEN_SENT, BearerCookieRule, IS_PUBLIC } from './public.decorator';

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
    const targets = [context.getHandler(), context.getClass()];
    const req = context.switchToHttp().getRequest<GatewayRequest>();
    if (this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets)) {
      // A public route that also serves a signed-in caller (a step-up verify) checks a token when
      // one is sent; without one it stays public.
      const optional = this.reflector.getAllAndOverride<boolean | undefined>(BEARER_WHEN_SENT, targets);
      if (!optional || req.headers?.authorization === undefined) {
        return true;
      }
    }
    const token =
      req.headers?.authorization === undefined
        ? this.cookieToken(req, targets)
        : BEARER.exec(req.headers.authorization)?.[1];
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

  /**
   * The token of a route that takes it from a cookie (`@BearerFromCookie`), on reads only, and on a
   * route that also serves JSON pages only when the request asks for one of its files.
   */
  private cookieToken(
    req: GatewayRequest,
    targets: Parameters<Reflector['getAllAndOverride']>[1],
  ): string | undefined {
    const rule = this.reflector.getAllAndOverride<BearerCookieRule | undefined>(BEARER_COOKIE, targets);
    if (rule === undefined || (req.method !== 'GET' && req.method !== 'HEAD')) {
      return undefined;
    }
    // The handler decides page or file by the same `format` (validated after this guard); a repeated
    // or nested `format` is no string and so no file.
    const format: unknown = (req.query as Record<string, unknown> | undefined)?.format;
    if (rule.formats !== undefined && !(typeof format === 'string' && rule.formats.includes(format))) {
      return undefined;
    }
    const value: unknown = (req.cookies as Record<string, unknown> | undefined)?.[rule.cookie];
    return typeof value === 'string' && BEARER.test(`Bearer ${value}`) ? value : undefined;
  }
}
