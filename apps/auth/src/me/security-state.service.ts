import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@app/config';
import { MeSecurityView, Principal, SmsDisabledReason } from '@app/contracts';
import { LoginAccountRepository } from '../users/login-account.repository';
import { requireCaller } from './profile.service';

interface EnrolmentCounts {
  passkeys: number;
  trusted_browsers: number;
  totp_enabled: boolean;
}

/** `GET /me/security`: the state of the caller's sign-in methods, in one read. */
@Injectable()
export class SecurityStateService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: LoginAccountRepository,
    private readonly clock: Clock,
  ) {}

  async view(principal: Principal | undefined): Promise<MeSecurityView> {
    const caller = requireCaller(principal);
    const account = await this.accounts.ofCaller(caller);
    const { user } = account;
    // The enrolments live in the tables of their own areas (AUTH-8, AUTH-9, AUTH-10); counted here
    // with plain SQL so this view depends on their columns only. A trusted browser counts while it
    // still skips the second step: not revoked, not expired, and of the current credential version
    // (a password reset or MFA reset voids the older ones, AUTH-9).
    const [counts]: EnrolmentCounts[] = await this.dataSource.query(
      `SELECT
         (SELECT count(*) FROM auth.passkey p WHERE p.user_id = $1)::int AS passkeys,
         (SELECT count(*) FROM auth.trusted_browser b
            WHERE b.user_id = $1 AND b.revoked_at IS NULL AND b.expires_at > $2
              AND b.credential_version = $3)::int AS trusted_browsers,
         EXISTS (SELECT 1 FROM auth.totp_credential t
                   WHERE t.user_id = $1 AND t.enabled_at IS NOT NULL) AS totp_enabled`,
      [user.id, this.clock.now(), user.credentialVersion],
    );
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
