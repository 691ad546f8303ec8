import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import { DomainError, ErrorCode, Principal } from '@app/contracts';
import { GatewayRequest } from '../request-context/gateway-request';

/** The verified caller of an authenticated route. */
export const CurrentPrincipal = createParamDecorator((_data: unknown, ctx: ExecutionContext): Principal => {
  const principal = ctx.switchToHttp().getRequest<GatewayRequest>().user;
  if (!principal) {
    throw new DomainError(ErrorCode.Unauthorized);
  }
  return principal;
});
