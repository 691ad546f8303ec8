import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** The rows an operator's MFA reset changes (AUTH-19). */
@Injectable()
export class OperatorMfaRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * With the user's row locked: the authenticator app and the passkeys go, the approver apps are
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
}
