import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull, Not } from 'typeorm';
import { TotpCredential } from './totp-credential.entity';

/** Every read and write of authenticator apps (AUTH-8). */
@Injectable()
export class TotpRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * Stores `secretEnc` as the user's pending secret, replacing a pending one; false when an app is
   * enabled. One statement, so two enrolments at once cannot both pass a separate "not enabled"
   * check.
   */
  async startEnrolment(
    manager: EntityManager,
    userId: string,
    secretEnc: string,
    now: Date,
  ): Promise<boolean> {
    const written: { user_id: string }[] = await manager.query(
      `INSERT INTO auth.totp_credential AS t (user_id, secret_enc, created_at, enabled_at, last_used_step)
       VALUES ($1, $2, $3, NULL, NULL)
       ON CONFLICT (user_id) DO UPDATE
         SET secret_enc = EXCLUDED.secret_enc, created_at = EXCLUDED.created_at, last_used_step = NULL
         WHERE t.enabled_at IS NULL
       RETURNING user_id`,
      [userId, secretEnc, now],
    );
    return written.length === 1;
  }

  /** The user's app, enabled or pending, locked until the transaction ends; null when none. */
  lock(manager: EntityManager, userId: string): Promise<TotpCredential | null> {
    return manager
      .getRepository(TotpCredential)
      .findOne({ where: { userId }, lock: { mode: 'pessimistic_write' } });
  }

  /** Enables the app with `step` as the last used one, and turns MFA on for the user. */
  async enable(manager: EntityManager, userId: string, step: number, now: Date): Promise<void> {
    await manager.getRepository(TotpCredential).update({ userId }, { enabledAt: now, lastUsedStep: step });
    await manager.query(`UPDATE auth.app_user SET mfa_required = true, updated_at = $2 WHERE id = $1`, [
      userId,
      now,
    ]);
  }

  /** Removes the user's app; what it was (enabled or pending), or null when there was none. */
  async remove(manager: EntityManager, userId: string): Promise<{ enabledAt: Date | null } | null> {
    const removed: { enabled_at: Date | null }[] = await manager.query(
      // A CTE so the driver hands back the RETURNING rows (a bare DELETE gives [rows, count]).
      `WITH removed AS (DELETE FROM auth.totp_credential WHERE user_id = $1 RETURNING enabled_at)
       SELECT enabled_at FROM removed`,
      [userId],
    );
    return removed.length === 0 ? null : { enabledAt: removed[0].enabled_at };
  }

  /** Whether the user has an enabled app. */
  hasEnabled(userId: string): Promise<boolean> {
    return this.dataSource
      .getRepository(TotpCredential)
      .exists({ where: { userId, enabledAt: Not(IsNull()) } });
  }

  /** The user's enabled app; null when none (pending or absent). */
  findEnabled(manager: EntityManager, userId: string): Promise<TotpCredential | null> {
    return manager.getRepository(TotpCredential).findOne({ where: { userId, enabledAt: Not(IsNull()) } });
  }

  /**
   * Moves the last used step forward to `step`, only if it is newer: of two verifies with the same
   * code exactly one sees its UPDATE take effect. False: the step was used already.
   */
  async advanceStep(manager: EntityManager, userId: string, step: number): Promise<boolean> {
    const moved = await manager
      .createQueryBuilder()
      .update(TotpCredential)
      .set({ lastUsedStep: step })
      .where('user_id = :userId AND enabled_at IS NOT NULL', { userId })
      .andWhere('(last_used_step IS NULL OR last_used_step < :step)', { step })
      .execute();
    return moved.affected === 1;
  }
}
