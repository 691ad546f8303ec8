import { Controller } from '@nestjs/common';
import {
  PasskeyIdParam,
  PasskeyRegistrationOptions,
  PasskeyView,
  RegisterPasskeyDto,
  RenamePasskeyRequest,
  RpcEnvelope,
} from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { PasskeyManagementService } from './passkey-management.service';
import { PasskeyRegistrationService } from './passkey-registration.service';

type Empty = Record<string, never>;

/** NATS handlers of the caller's passkeys (API.md "Me"); always the principal's own. */
@Controller()
export class PasskeysController {
  constructor(
    private readonly registration: PasskeyRegistrationService,
    private readonly management: PasskeyManagementService,
  ) {}

  @RpcHandler('auth.me.passkey.options')
  async options({ ctx }: RpcEnvelope<Empty>): Promise<PasskeyRegistrationOptions> {
    return this.registration.options(ctx.principal);
  }

  @RpcHandler('auth.me.passkey.register')
  async register({ ctx, data }: RpcEnvelope<RegisterPasskeyDto>): Promise<PasskeyView> {
    return this.registration.register(ctx.principal, data);
  }

  @RpcHandler('auth.me.passkey.list')
  async list({ ctx }: RpcEnvelope<Empty>): Promise<PasskeyView[]> {
    return this.management.list(ctx.principal);
  }

  @RpcHandler('auth.me.passkey.rename')
  async rename({ ctx, data }: RpcEnvelope<RenamePasskeyRequest>): Promise<PasskeyView> {
    return this.management.rename(ctx.principal, data.id, data.name);
  }

  @RpcHandler('auth.me.passkey.delete')
  async remove({ ctx, data }: RpcEnvelope<PasskeyIdParam>): Promise<Empty> {
    await this.management.remove(ctx.principal, data.id);
    return {};
  }
}
