import { Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { MeSecurityView, Principal, SmsDisabledReason } from '@app/contracts';
import { LoginAccountRepository } from '../users/login-account.repository';
import { MeRepository } from './me.repository';
import { requireCaller } from './profile.service';

/** `GET /me/security`: the state of the caller's sign-in methods, in one read. */
@Injectable()
export class SecurityStateService {
  constructor(
    private readonly me: MeRepository,
    private readonly accounts: LoginAccountRepository,
    private readonly clock: Clock,
  ) {}

  async view(principal: Principal | undefined): Promise<MeSecurityView> {
    const caller = requireCaller(principal);
    const account = await this.accounts.ofCaller(caller);
    const { user } = account;
    const counts = await this.me.enrolmentCounts(user.id, this.clock.now(), user.credentialVersion);
    return {
      // AUTH-5: the user's own flag, or a second factor of their own enrolled.
      mfaEnabled: user.mfaRequired || counts.totp_enabled || counts.passkeys > 0,
      sms: {
        available: user.phone !== null && user.smsDisabledAt === null,
        disabledReason: user.smsDisabledAt ? (user.smsDisabledReason as SmsDisabledReason) : null,
      },
      email: { address: user.email, undeliverable: user.emailUndeliverable },
      totp: { enabled: counts.totp_enabled },
      passkeys: counts.passkeys,
      trustedBrowsers: counts.trusted_browsers,
    };
  }
}
