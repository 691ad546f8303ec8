import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

const TOK = 'auth.password_reset_token';

/**
 * Reset tokens, by HMAC only: the table never holds a usable link (AUTH-16); and the transaction
 * that completes a reset, with the account rows it changes.
 */
@Injectable()
export class PasswordResetTokenRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** For a read that needs no transaction of its own. */
  get standalone(): EntityManager {
    return this.dataSource.manager;
  }

  /** Stores the new password hash and moves the credential version on. */
  async setPassword(manager: EntityManager, userId: string, passwordHash: string, now: Date): Promise<void> {
    await manager.query(
      `UPDATE auth.app_user SET password_hash = $2, credential_version = credential_version + 1, updated_at = $3 WHERE id = $1`,
      [userId, passwordHash, now],
    );
  }

  /** Expires the user's logins waiting for a second step. */
  async expirePendingFlows(manager: EntityManager, userId: string): Promise<void> {
    await manager.query(
      `UPDATE auth.login_flow SET status = 'expired' WHERE user_id = $1 AND status = 'pending'`,
      [userId],
    );
  }

  /**
   * A new link for the user; every older unused link of theirs is void from now on (only the latest
   * mail counts). One statement, so a matching request costs no more round trips than before.
   */
  async insert(
    manager: EntityManager,
    userId: string,
    tokenHmac: string,
    now: Date,
    expiresAt: Date,
  ): Promise<void> {
    await manager.query(
      `WITH voided AS (UPDATE ${TOK} SET used_at = $4 WHERE user_id = $2 AND used_at IS NULL)
       INSERT INTO ${TOK} (id, user_id, token_hmac, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
      [randomUUID(), userId, tokenHmac, now, expiresAt],
    );
  }

  /** The user of a token that is unused and unexpired at `now`, without using it. */
  async findUsable(manager: EntityManager, tokenHmac: string, now: Date): Promise<string | null> {
    const rows: { user_id: string }[] = await manager.query(
      `SELECT user_id FROM ${TOK} WHERE token_hmac = $1 AND used_at IS NULL AND expires_at > $2`,
      [tokenHmac, now],
    );
    return rows[0]?.user_id ?? null;
  }

  /**
   * Uses the token in one conditional UPDATE: PostgreSQL lets exactly one of any number of
   * concurrent uses match `used_at IS NULL`; the others find it used and get nothing back.
   */
  async consume(manager: EntityManager, tokenHmac: string, now: Date): Promise<string | null> {
    const rows: { user_id: string }[] = await manager.query(
      // A CTE so the driver hands back the RETURNING rows (a bare UPDATE gives [rows, count]).
      `WITH used AS (
         UPDATE ${TOK} SET used_at = $2 WHERE token_hmac = $1 AND used_at IS NULL AND expires_at > $2 RETURNING user_id)
       SELECT user_id FROM used`,
      [tokenHmac, now],
    );
    return rows[0]?.user_id ?? null;
  }

  /** After a completed reset, older links of the user are void too. */
  async voidAllOf(manager: EntityManager, userId: string, now: Date): Promise<void> {
    await manager.query(`UPDATE ${TOK} SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL`, [
      userId,
      now,
    ]);
  }
}
