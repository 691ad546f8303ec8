import { Controller } from '@nestjs/common';
import { ChangePasswordDto, MeSecurityView, MeView, RpcEnvelope, UpdateProfileDto } from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { PasswordChangeService } from './password-change.service';
import { ProfileService } from './profile.service';
import { SecurityStateService } from './security-state.service';

type Empty = Record<string, never>;

/** The caller's own account over NATS (AUTH-17, AUTH-20). */
@Controller()
export class MeController {
  constructor(
    private readonly profile: ProfileService,
    private readonly passwords: PasswordChangeService,
    private readonly security: SecurityStateService,
  ) {}

  @RpcHandler('auth.me.get')
  async get({ ctx }: RpcEnvelope<Empty>): Promise<MeView> {
    return this.profile.view(ctx.principal);
  }

  @RpcHandler('auth.me.update')
  async update({ ctx, data }: RpcEnvelope<UpdateProfileDto>): Promise<MeView> {
    return this.profile.update(ctx.principal, data);
  }

  @RpcHandler('auth.me.password.change')
  async changePassword({ ctx, data }: RpcEnvelope<ChangePasswordDto>): Promise<Empty> {
    await this.passwords.change(ctx.principal, data);
    return {};
  }

  @RpcHandler('auth.me.security')
  async securityState({ ctx }: RpcEnvelope<Empty>): Promise<MeSecurityView> {
    return this.security.view(ctx.principal);
  }
}
