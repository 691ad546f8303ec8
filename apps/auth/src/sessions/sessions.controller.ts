import { Controller } from '@nestjs/common';
import { AuthenticatedResult, LogoutDto, RefreshDto, RpcEnvelope, SelectTenantDto } from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { SessionsService } from './sessions.service';

/** NATS handlers of token refresh, logout and tenant selection (AUTH-15, AUTH-18). */
@Controller()
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @RpcHandler('auth.token.refresh')
  async refresh({ data }: RpcEnvelope<RefreshDto>): Promise<AuthenticatedResult> {
    return this.sessions.refresh(data.refreshToken);
  }

  @RpcHandler('auth.logout')
  async logout({ ctx, data }: RpcEnvelope<LogoutDto>): Promise<Record<string, never>> {
    await this.sessions.logout(ctx.principal, data.all === true);
    return {};
  }

  @RpcHandler('auth.tenant.select')
  async selectTenant({ ctx, data }: RpcEnvelope<SelectTenantDto>): Promise<AuthenticatedResult> {
    return this.sessions.selectTenant(ctx.principal, data.tenant);
  }
}
