import { Controller } from '@nestjs/common';
import { RpcEnvelope, TrustedBrowserIdParam, TrustedBrowserView } from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { TrustedBrowsersService } from './trusted-browsers.service';

type Empty = Record<string, never>;

/** The caller's trusted browsers over NATS (AUTH-9); rules live in TrustedBrowsersService. */
@Controller()
export class TrustedBrowsersController {
  constructor(private readonly trustedBrowsers: TrustedBrowsersService) {}

  @RpcHandler('auth.trusted_browser.list')
  async list({ ctx }: RpcEnvelope<Empty>): Promise<TrustedBrowserView[]> {
    return this.trustedBrowsers.list(ctx.principal);
  }

  @RpcHandler('auth.trusted_browser.revoke')
  async revoke({ ctx, data }: RpcEnvelope<TrustedBrowserIdParam>): Promise<Empty> {
    await this.trustedBrowsers.revoke(ctx.principal, data.id);
    return {};
  }

  @RpcHandler('auth.trusted_browser.revoke_all')
  async revokeAll({ ctx }: RpcEnvelope<Empty>): Promise<Empty> {
    await this.trustedBrowsers.revokeAll(ctx.principal);
    return {};
  }
}
