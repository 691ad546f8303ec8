import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, ErrorCode } from '@app/contracts';
import { GatewayRequest } from '../request-context/gateway-request';
import { REQUIRE_TENANT } from './require-tenant.decorator';

/**
 * For routes acting on the active tenant: operators have no tenant and are refused outright; a user
 * who has not picked a tenant yet is told to (AUTH-18).
 */
@Injectable()
export class TenantGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    if (
      !this.reflector.getAllAndOverride<boolean | undefined>(REQUIRE_TENANT, [
        context.getHandler(),
        context.getClass(),
      ])
    ) {
      return true;
    }
    const principal = context.switchToHttp().getRequest<GatewayRequest>().user;
    if (!principal) {
      throw new DomainError(ErrorCode.Unauthorized);
    }
    if (principal.role === 'operator') {
      throw new DomainError(ErrorCode.Forbidden);
    }
    if (!principal.tenant) {
      throw new DomainError(ErrorCode.TenantSelectionRequired);
    }
    return true;
  }
}
