import { Controller } from '@nestjs/common';
import {
  AdminLoginHistoryQueryDto,
  LoginHistoryFile,
  LoginHistoryPage,
  LoginHistoryQueryDto,
  RpcEnvelope,
} from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { LoginHistoryService } from './login-history.service';

/** Login history over NATS (AUTH-22); who may read what is decided in LoginHistoryService. */
@Controller()
export class LoginHistoryController {
  constructor(private readonly history: LoginHistoryService) {}

  @RpcHandler('auth.login_history.mine')
  async mine({ ctx, data }: RpcEnvelope<LoginHistoryQueryDto>): Promise<LoginHistoryPage> {
    return this.history.mine(ctx.principal, data);
  }

  @RpcHandler('auth.login_history.mine.export')
  async mineExport({ ctx, data }: RpcEnvelope<LoginHistoryQueryDto>): Promise<LoginHistoryFile> {
    return this.history.mineExport(ctx.principal, data);
  }

  @RpcHandler('auth.login_history.tenant')
  async tenant({ ctx, data }: RpcEnvelope<AdminLoginHistoryQueryDto>): Promise<LoginHistoryPage> {
    return this.history.tenant(ctx.principal, data);
  }

  @RpcHandler('auth.login_history.tenant.export')
  async tenantExport({ ctx, data }: RpcEnvelope<AdminLoginHistoryQueryDto>): Promise<LoginHistoryFile> {
    return this.history.tenantExport(ctx.principal, data);
  }
}
