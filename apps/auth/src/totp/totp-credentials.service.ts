import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Clock } from '@app/config';
import { DomainError, ErrorCode, Principal, TotpEnrolmentView } from '@app/contracts';
import { OutboxWriter } from '@app/database';
import { SecretBox } from '../crypto/secret-box';
import { auditActor, tenantNumbers } from '../users/login-account';
import { LoginAccountRepository } from '../users/login-account.repository';
import { StepUpService } from '../flows/step-up.service';
import { UserNotices } from '../users/user-notices';
import { TotpCodes } from './totp-codes';
import { TotpCredential } from './totp-credential.entity';

/**
 * The caller's authenticator app (AUTH-8): enrol (step-up), confirm with one valid code, disable
 * (step-up). The secret is sealed by SecretBox bound to the user's id, so it is never stored in clear
 * and a sealed secret copied onto another user's row does not open.
 */
@Injectable()
export class TotpCredentialsService {
  constructor(
    private readonly dataSource: DataSource,
    private readonly accounts: LoginAccountRepository,
    private readonly stepUp: StepUpService,
    private readonly codes: TotpCodes,
    private readonly box: SecretBox,
    private readonly outbox: OutboxWriter,
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

    await this.dataSource.transaction(async (manager) => {
      // One statement, so two enrolments at once cannot both pass a separate "not enabled" check.
      const written: { user_id: string }[] = await manager.query(
        `INSERT INTO auth.totp_credential AS t (user_id, secret_enc, created_at, enabled_at, last_used_step)
         VALUES ($1, $2, $3, NULL, NULL)
         ON CONFLICT (user_id) DO UPDATE
           SET secret_enc = EXCLUDED.secret_enc, created_at = EXCLUDED.created_at, last_used_step = NULL
           WHERE t.enabled_at IS NULL
         RETURNING user_id`,
        [userId, this.box.seal(secret, userId), now],
      );
      if (written.length !== 1) {
        throw new DomainError(ErrorCode.Conflict, { reason: 'totp_already_enabled' });
      }
      await this.outbox.record(manager, {
        type: 'auth.totp.enrolment_started',
        actor: auditActor(account, principal?.tenant),
        target: { type: 'user', id: userId },
        outcome: 'success',
        tenants: tenantNumbers(account),
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
    await this.dataSource.transaction(async (manager) => {
      const credential = await manager
        .getRepository(TotpCredential)
        .findOne({ where: { userId }, lock: { mode: 'pessimistic_write' } });
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
      await manager.getRepository(TotpCredential).update({ userId }, { enabledAt: now, lastUsedStep: step });
      // AUTH-5: a user who sets up an authenticator app has turned MFA on for themselves, so every
      // login asks for a second step from now on. Removing the app later leaves the flag alone: an
      // admin may have set it too, and turning MFA off is not the same act as changing the app.
      await manager.query(`UPDATE auth.app_user SET mfa_required = true, updated_at = $2 WHERE id = $1`, [
        userId,
        now,
      ]);
      await this.outbox.record(manager, {
        type: 'auth.totp.enabled',
        actor: auditActor(account, principal?.tenant),
        target: { type: 'user', id: userId },
        outcome: 'success',
        tenants: tenantNumbers(account),
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
    const wasEnabled = await this.dataSource.transaction(async (manager) => {
      const removed: { enabled_at: Date | null }[] = await manager.query(
        // A CTE so the driver hands back the RETURNING rows (a bare DELETE gives [rows, count]).
        `WITH removed AS (DELETE FROM auth.totp_credential WHERE user_id = $1 RETURNING enabled_at)
         SELECT enabled_at FROM removed`,
        [userId],
      );
      if (removed.length === 0) {
        throw new DomainError(ErrorCode.NotFound);
      }
      await this.outbox.record(manager, {
        type: 'auth.totp.disabled',
        actor: auditActor(account, principal?.tenant),
        target: { type: 'user', id: userId },
        outcome: 'success',
        reasons: removed[0].enabled_at ? ['enabled'] : ['pending'],
        tenants: tenantNumbers(account),
      });
      return removed[0].enabled_at !== null;
    });
    // A pending enrolment was never a second factor: only removing an enabled app is announced.
    if (wasEnabled) {
      await this.notices.send(this.notices.notice(account, 'mfa-changed', { change: 'totp_removed' }));
    }
  }
}
