import { Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { DomainError, ErrorCode, Principal, TotpEnrolmentView } from '@app/contracts';
import { SecretBox } from '../crypto/secret-box';
import { AuditFacts } from '../users/audit-facts';
import { LoginAccountRepository } from '../users/login-account.repository';
import { StepUpService } from '../flows/step-up.service';
import { UserNotices } from '../users/user-notices';
import { TotpCodes } from './totp-codes';
import { TotpRepository } from './totp.repository';

/**
 * The caller's authenticator app (AUTH-8): enrol (step-up), confirm with one valid code, disable
 * (step-up). The secret is sealed by SecretBox bound to the user's id, so it is never stored in clear
 * and a sealed secret copied onto another user's row does not open.
 */
@Injectable()
export class TotpCredentialsService {
  constructor(
    private readonly totp: TotpRepository,
    private readonly accounts: LoginAccountRepository,
    private readonly stepUp: StepUpService,
    private readonly codes: TotpCodes,
    private readonly box: SecretBox,
    private readonly facts: AuditFacts,
    private readonly clock: Clock,
    private readonly notices: UserNotices,
  ) {}

  /**
   * A new secret, shown once. Enrolling again before confirming replaces the pending secret (the
   * user scans the new QR code); while an app is enabled it is `409 conflict`: disable it first, so
   * a stolen session cannot silently swap the user's authenticator.
   */
  async enrol(principal: Principal | undefined): Promise<TotpEnrolmentView> {
    await this.stepUp.require(principal, 'totp.enrol');
    const account = await this.accounts.ofCaller(principal);
    const userId = account.user.id;
    const secret = this.codes.newSecret();
    const now = this.clock.now();

    await this.totp.transaction(async (manager) => {
      if (!(await this.totp.startEnrolment(manager, userId, this.box.seal(secret, userId), now))) {
        throw new DomainError(ErrorCode.Conflict, { reason: 'totp_already_enabled' });
      }
      await this.facts.of(account, principal?.tenant).record(manager, {
        type: 'auth.totp.enrolment_started',
        target: { type: 'user', id: userId },
        outcome: 'success',
      });
    });

    // The label is the login ID the user knows; the app shows it next to "Mamori".
    const otpauthUri = this.codes.uri(account.user.userId, secret);
    return { secret, otpauthUri, qrCode: await this.codes.qrCode(otpauthUri) };
  }

  /**
   * Enables the enrolled app with one valid code (±1 step). That code's step becomes the last used
   * one, so the same code cannot then complete a login. No step-up: the secret was created under one,
   * and the code proves the app holds it.
   */
  async confirm(principal: Principal | undefined, code: string): Promise<void> {
    const account = await this.accounts.ofCaller(principal);
    const userId = account.user.id;
    await this.totp.transaction(async (manager) => {
      const credential = await this.totp.lock(manager, userId);
      if (!credential || credential.enabledAt) {
        throw new DomainError(ErrorCode.Conflict, {
          reason: credential ? 'totp_already_enabled' : 'totp_not_enrolled',
        });
      }
      const now = this.clock.now();
      const step = await this.codes.stepOf(this.box.open(credential.secretEnc, userId), code, now);
      if (step === null) {
        throw new DomainError(ErrorCode.InvalidCode);
      }
      // AUTH-5: a user who sets up an authenticator app has turned MFA on for themselves, so every
      // login asks for a second step from now on. Removing the app later leaves the flag alone: an
      // admin may have set it too, and turning MFA off is not the same act as changing the app.
      await this.totp.enable(manager, userId, step, now);
      await this.facts.of(account, principal?.tenant).record(manager, {
        type: 'auth.totp.enabled',
        target: { type: 'user', id: userId },
        outcome: 'success',
      });
    });
    // The owner hears of a new way into the account, at its address, once the change has committed.
    await this.notices.send(this.notices.notice(account, 'mfa-changed', { change: 'totp_added' }));
  }

  /** Removes the app, enabled or still pending (step-up, AUTH-12); `404` when there is none. */
  async disable(principal: Principal | undefined): Promise<void> {
    await this.stepUp.require(principal, 'totp.disable');
    const account = await this.accounts.ofCaller(principal);
    const userId = account.user.id;
    const wasEnabled = await this.totp.transaction(async (manager) => {
      const removed = await this.totp.remove(manager, userId);
      if (!removed) {
        throw new DomainError(ErrorCode.NotFound);
      }
      await this.facts.of(account, principal?.tenant).record(manager, {
        type: 'auth.totp.disabled',
        target: { type: 'user', id: userId },
        outcome: 'success',
        reasons: removed.enabledAt ? ['enabled'] : ['pending'],
      });
      return removed.enabledAt !== null;
    });
    // A pending enrolment was never a second factor: only removing an enabled app is announced.
    if (wasEnabled) {
      await this.notices.send(this.notices.notice(account, 'mfa-changed', { change: 'totp_removed' }));
    }
  }
}
