import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ProjectedStatement } from '@app/database';
import { User } from '../users/user.entity';
import { RefreshToken } from './refresh-token.entity';
import { Session } from './session.entity';

/** Which live sessions a revocation ends: one user's, one session, or a user's but one. */
export interface SessionScope {
  userId?: string;
  sessionId?: string;
  exceptSessionId?: string;
}

/** A session a revocation ended: what its `auth.session.ended` fact and its Redis mark need. */
export interface RevokedSession {
  id: string;
  userId: string;
  activeTenant: string | null;
}

/**
 * SQL of auth.session and auth.refresh_token (AUTH-15, AUTH-18). Every decision that races is one
 * statement: spending a refresh token (`used_at IS NULL` in its WHERE) and revoking sessions
 * (`revoked_at IS NULL`). Time is always the caller's (the injected Clock), never SQL now().
 */
@Injectable()
export class SessionsRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * A new session and its first refresh token as statements to send with the login's facts: in one
   * statement the token's foreign key is checked at its end, when the session row is there.
   */
  insertSessionStatements(session: Session, token: RefreshToken): ProjectedStatement[] {
    return [
      {
        sql: `INSERT INTO auth.session (id, user_id, active_tenant, created_at, last_seen_at, expires_at,
                second_factor_at, revoked_at, revoke_reason, ip, user_agent)
              VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
        params: [
          session.id,
          session.userId,
          session.activeTenant,
          session.createdAt,
          session.lastSeenAt,
          session.expiresAt,
          session.secondFactorAt,
          session.revokedAt,
          session.revokeReason,
          session.ip,
          session.userAgent,
        ],
      },
      {
        sql: `INSERT INTO auth.refresh_token (id, session_id, token_hmac, created_at, used_at, successor_id,
                successor_sealed)
              VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        params: [
          token.id,
          token.sessionId,
          token.tokenHmac,
          token.createdAt,
          token.usedAt,
          token.successorId,
          token.successorSealed,
        ],
      },
    ];
  }

  /**
   * The session, holding its row lock until the transaction ends: every refresh, step-up and
   * tenant switch of one session queues here, so a token used twice at once is seen as reused.
   */
  async lockSession(manager: EntityManager, id: string): Promise<Session | null> {
    return manager.getRepository(Session).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async updateSession(
    manager: EntityManager,
    id: string,
    changes: Partial<Pick<Session, 'activeTenant' | 'lastSeenAt' | 'secondFactorAt'>>,
  ): Promise<void> {
    await manager.getRepository(Session).update({ id }, changes);
  }

  /**
   * Ends the live sessions in `scope` in one statement (a session revoked concurrently is not
   * counted twice) and returns them.
   */
  async revoke(
    manager: EntityManager,
    scope: SessionScope,
    reason: string,
    now: Date,
  ): Promise<RevokedSession[]> {
    const query = manager
      .createQueryBuilder()
      .update(Session)
      .set({ revokedAt: now, revokeReason: reason })
      .where('revoked_at IS NULL');
    if (scope.userId) {
      query.andWhere('user_id = :userId', { userId: scope.userId });
    }
    if (scope.sessionId) {
      query.andWhere('id = :sessionId', { sessionId: scope.sessionId });
    }
    if (scope.exceptSessionId) {
      query.andWhere('id <> :exceptSessionId', { exceptSessionId: scope.exceptSessionId });
    }
    const result = await query.returning(['id', 'userId', 'activeTenant']).execute();
    const rows = (result.raw ?? []) as { id: string; user_id: string; active_tenant: string | null }[];
    return rows.map((r) => ({ id: r.id, userId: r.user_id, activeTenant: r.active_tenant }));
  }

  /** The ids and revocation times of the sessions revoked after `since` (the Redis re-marking). */
  async revokedSince(since: Date): Promise<{ id: string; revokedAt: Date }[]> {
    const rows: { id: string; revoked_at: Date }[] = await this.dataSource.query(
      `SELECT id, revoked_at FROM auth.session WHERE revoked_at > $1`,
      [since],
    );
    return rows.map((r) => ({ id: r.id, revokedAt: new Date(r.revoked_at) }));
  }

  async refreshTokenByHmac(manager: EntityManager, hmac: string): Promise<RefreshToken | null> {
    return manager.getRepository(RefreshToken).findOne({ where: { tokenHmac: hmac } });
  }

  async refreshTokenById(manager: EntityManager, id: string): Promise<RefreshToken | null> {
    return manager.getRepository(RefreshToken).findOne({ where: { id } });
  }

  async insertRefreshToken(manager: EntityManager, token: RefreshToken): Promise<void> {
    await manager.getRepository(RefreshToken).insert(token);
  }

  /** Spends the token; false when it was spent already (by a concurrent refresh). */
  async spendRefreshToken(manager: EntityManager, id: string, now: Date): Promise<boolean> {
    const spent = await manager
      .createQueryBuilder()
      .update(RefreshToken)
      .set({ usedAt: now })
      .where('id = :id AND used_at IS NULL', { id })
      .execute();
    return spent.affected === 1;
  }

  /** Spends every live refresh token of the session: the one in the client's hands is replaced. */
  async spendSessionRefreshTokens(manager: EntityManager, sessionId: string, now: Date): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(RefreshToken)
      .set({ usedAt: now })
      .where('session_id = :id AND used_at IS NULL', { id: sessionId })
      .execute();
  }

  /** Links a spent token to the token that replaced it (sealed), for a replay within the grace. */
  async setSuccessor(
    manager: EntityManager,
    id: string,
    successorId: string,
    successorSealed: string,
  ): Promise<void> {
    await manager.getRepository(RefreshToken).update({ id }, { successorId, successorSealed });
  }

  /** AUTH-9: voids every trusted browser of the user, which carries the credential version. */
  async bumpCredentialVersion(manager: EntityManager, userId: string): Promise<void> {
    await manager.getRepository(User).increment({ id: userId }, 'credentialVersion', 1);
  }
}
