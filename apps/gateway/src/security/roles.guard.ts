import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { DomainError, ErrorCode, Role } from '@app/contracts';
import { GatewayRequest } from '../request-context/gateway-request';
import { ROLES } from './roles.decorator';

/** Enforces @Roles(): the principal's role must be one of those named. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = this.reflector.getAllAndOverride<Role[] | undefined>(ROLES, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (!roles || roles.length === 0) {
      return true;
    }
    const principal = context.switchToHttp().getRequest<GatewayRequest>().user;
    if (!principal) {
      throw new DomainError(ErrorCode.Unauthorized);
    }
    if (!roles.includes(principal.role)) {
      throw new DomainError(ErrorCode.Forbidden);
    }
    return true;
  }
}
