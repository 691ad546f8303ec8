import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { SmsDisabledReason } from '@app/contracts';
import { User } from '../users/user.entity';

/** The caller's sign-in methods counted across the areas that own them (AUTH-8, AUTH-9, AUTH-10). */
export interface EnrolmentCounts {
  passkeys: number;
  trusted_browsers: number;
  totp_enabled: boolean;
}

/**
 * The rows the caller's own account changes: profile, password, SMS switch-off and an operator's
 * MFA reset (AUTH-17, AUTH-19, AUTH-20). Every write takes the caller's transaction.
 */
@Injectable()
export class MeRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * An operator's MFA reset (AUTH-19). With the user's row locked: the authenticator app and the passkeys go, the approver apps are
   * revoked, the credential version moves on (voiding every trusted browser, AUTH-9), SMS codes come
   * back on when `smsBackOn`, and a login waiting for a second step is expired.
   */
  async removeSecondFactors(
    manager: EntityManager,
    userId: string,
    now: Date,
    smsBackOn: boolean,
  ): Promise<void> {
    await manager.query(`SELECT id FROM auth.app_user WHERE id = $1 FOR UPDATE`, [userId]);
    await manager.query(`DELETE FROM auth.totp_credential WHERE user_id = $1`, [userId]);
    // A passkey is a second factor too, and may sit on the very phone that was lost (AUTH-10).
    await manager.query(`DELETE FROM auth.passkey WHERE user_id = $1`, [userId]);
    await manager.query(
      `UPDATE auth.push_approver SET revoked_at = $2 WHERE user_id = $1 AND revoked_at IS NULL`,
      [userId, now],
    );
    await manager.query(
      `UPDATE auth.app_user SET
         credential_version = credential_version + 1,
         sms_disabled_at = CASE WHEN $3 THEN NULL ELSE sms_disabled_at END,
         sms_disabled_reason = CASE WHEN $3 THEN NULL ELSE sms_disabled_reason END,
         updated_at = $2
       WHERE id = $1`,
      [userId, now, smsBackOn],
    );
    // A login waiting for a second step that was just removed must not finish with it either.
    await manager.query(
      `UPDATE auth.login_flow SET status = 'expired' WHERE user_id = $1 AND status = 'pending'`,
      [userId],
    );
  }

  /**
   * The enrolments live in the tables of their own areas; counted here with plain SQL so the view
   * depends on their columns only. A trusted browser counts while it still skips the second step:
   * not revoked, not expired, and of the current credential version (a password reset or MFA reset
   * voids the older ones, AUTH-9).
   */
  async enrolmentCounts(userId: string, now: Date, credentialVersion: number): Promise<EnrolmentCounts> {
    const [counts]: EnrolmentCounts[] = await this.dataSource.query(
      `SELECT
         (SELECT count(*) FROM auth.passkey p WHERE p.user_id = $1)::int AS passkeys,
         (SELECT count(*) FROM auth.trusted_browser b
            WHERE b.user_id = $1 AND b.revoked_at IS NULL AND b.expires_at > $2
              AND b.credential_version = $3)::int AS trusted_browsers,
         EXISTS (SELECT 1 FROM auth.totp_credential t
                   WHERE t.user_id = $1 AND t.enabled_at IS NOT NULL) AS totp_enabled`,
      [userId, now, credentialVersion],
    );
    return counts;
  }

  /** The user's row, locked until the transaction ends; null when the account is gone. */
  lockUser(manager: EntityManager, id: string): Promise<User | null> {
    return manager.getRepository(User).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Applies `patch` to the user's row and reads it back as stored. */
  async updateProfile(manager: EntityManager, id: string, patch: Partial<User>, now: Date): Promise<User> {
    await manager.getRepository(User).update({ id }, { ...patch, updatedAt: now });
    return manager.getRepository(User).findOneOrFail({ where: { id } });
  }

  /**
   * Stores `newHash` only over `currentHash` and moves the credential version on; false when the
   * password is no longer `currentHash` (of two changes racing with one current password, the
   * second finds it gone).
   */
  async replacePassword(
    manager: EntityManager,
    userId: string,
    currentHash: string,
    newHash: string,
    now: Date,
  ): Promise<boolean> {
    const rows: { id: string }[] = await manager.query(
      `WITH changed AS (
         UPDATE auth.app_user
            SET password_hash = $3, credential_version = credential_version + 1, updated_at = $4
         WHERE id = $1 AND password_hash = $2
         RETURNING id)
       SELECT id FROM changed`,
      [userId, currentHash, newHash, now],
    );
    return rows.length > 0;
  }

  /** Expires the user's logins waiting for a second step and uses up their unused reset links. */
  async voidPasswordDependents(manager: EntityManager, userId: string, now: Date): Promise<void> {
    await manager.query(
      `UPDATE auth.login_flow SET status = 'expired'
       WHERE user_id = $1 AND status = 'pending' AND purpose = 'login'`,
      [userId],
    );
    await manager.query(
      `UPDATE auth.password_reset_token SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL`,
      [userId, now],
    );
  }

  /**
   * Switches SMS codes off unless they already are (or, with `onlyForPhone`, unless that is no
   * longer the registered number); true when this statement switched them off.
   */
  async switchOffSms(
    manager: EntityManager,
    userId: string,
    now: Date,
    reason: SmsDisabledReason,
    onlyForPhone: string | null,
  ): Promise<boolean> {
    const rows: { id: string }[] = await manager.query(
      // A CTE so the driver hands back the RETURNING rows (a bare UPDATE gives [rows, count]).
      `WITH switched AS (
         UPDATE auth.app_user SET sms_disabled_at = $2, sms_disabled_reason = $3, updated_at = $2
         WHERE id = $1 AND sms_disabled_at IS NULL AND ($4::text IS NULL OR phone = $4)
         RETURNING id)
       SELECT id FROM switched`,
      [userId, now, reason, onlyForPhone],
    );
    return rows.length > 0;
  }
}
