import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

export interface NewTrustedBrowser {
  id: string;
  userId: string;
  tokenHmac: string;
  name: string;
  createdAt: Date;
  expiresAt: Date;
  userAgent: string | null;
  ip: string | null;
}

export interface TrustedBrowserRow {
  id: string;
  name: string;
  created_at: Date;
  last_used_at: Date | null;
  user_agent: string | null;
  ip: string | null;
  expires_at: Date;
}

/**
 * SQL of auth.trusted_browser (AUTH-9). "Live" everywhere means: not revoked, not expired, and
 * carrying the user's current credential version. Time is the caller's (the injected Clock).
 */
@Injectable()
export class TrustedBrowsersRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** What each tenant of the user allows (null: the default), for the trust's lifetime. */
  async tenantTtlSettings(manager: EntityManager, userId: string): Promise<(number | null)[]> {
    const rows: { ttl: number | null }[] = await manager.query(
      `SELECT t.trusted_browser_ttl_seconds AS ttl
         FROM auth.membership m JOIN auth.tenant t ON t.number = m.tenant_number
        WHERE m.user_id = $1`,
      [userId],
    );
    return rows.map((r) => r.ttl);
  }

  /**
   * Inserts the browser bound to the user's credential version as it is in this transaction, so a
   * reset committed just before cannot leave a token bound to the old version. Returns false when
   * the user does not exist.
   */
  async insert(manager: EntityManager, b: NewTrustedBrowser): Promise<boolean> {
    const rows: { id: string }[] = await manager.query(
      `WITH inserted AS (
         INSERT INTO auth.trusted_browser
           (id, user_id, token_hmac, name, credential_version, created_at, expires_at, user_agent, ip)
         SELECT $1, u.id, $3, $4, u.credential_version, $5, $6, $7, $8 FROM auth.app_user u WHERE u.id = $2
         RETURNING id)
       SELECT id FROM inserted`,
      [b.id, b.userId, b.tokenHmac, b.name, b.createdAt, b.expiresAt, b.userAgent, b.ip],
    );
    return rows.length > 0;
  }

  /** The live browser of this user with this token HMAC, marked used now; null when there is none. */
  async use(userId: string, tokenHmac: string, now: Date): Promise<string | null> {
    const rows: { id: string }[] = await this.dataSource.query(
      `WITH used AS (
         UPDATE auth.trusted_browser b SET last_used_at = $3
           FROM auth.app_user u
          WHERE b.token_hmac = $2 AND b.user_id = $1 AND u.id = b.user_id
            AND b.revoked_at IS NULL AND b.expires_at > $3 AND b.credential_version = u.credential_version
         RETURNING b.id)
       SELECT id FROM used`,
      [userId, tokenHmac, now],
    );
    return rows[0]?.id ?? null;
  }

  async listLive(userId: string, now: Date): Promise<TrustedBrowserRow[]> {
    return this.dataSource.query(
      `SELECT b.id, b.name, b.created_at, b.last_used_at, b.user_agent, b.ip, b.expires_at
         FROM auth.trusted_browser b JOIN auth.app_user u ON u.id = b.user_id
        WHERE b.user_id = $1 AND b.revoked_at IS NULL AND b.expires_at > $2
          AND b.credential_version = u.credential_version
        ORDER BY COALESCE(b.last_used_at, b.created_at) DESC, b.created_at DESC, b.id`,
      [userId, now],
    );
  }

  /** Revokes the user's live browsers (`id` given: that one only); returns the ids revoked. */
  async revokeLive(manager: EntityManager, userId: string, now: Date, id?: string): Promise<string[]> {
    const rows: { id: string }[] = await manager.query(
      `WITH revoked AS (
         UPDATE auth.trusted_browser b SET revoked_at = $2
           FROM auth.app_user u
          WHERE b.user_id = $1 AND u.id = b.user_id AND ($3::uuid IS NULL OR b.id = $3::uuid)
            AND b.revoked_at IS NULL AND b.expires_at > $2 AND b.credential_version = u.credential_version
         RETURNING b.id)
       SELECT id FROM revoked`,
      [userId, now, id ?? null],
    );
    return rows.map((r) => r.id);
  }

  /**
   * A tenant shortened its trust (AUTH-9): its users' browsers trusted for longer now end at
   * `created_at + ttl`. Shortening only: a user's lifetime is the minimum over their tenants, so
   * one tenant's new limit is an upper bound whatever the others allow.
   */
  async capForTenant(manager: EntityManager, tenant: string, ttlSeconds: number, now: Date): Promise<void> {
    await manager.query(
      `UPDATE auth.trusted_browser b
          SET expires_at = b.created_at + make_interval(secs => $2)
        WHERE b.user_id IN (SELECT m.user_id FROM auth.membership m WHERE m.tenant_number = $1)
          AND b.revoked_at IS NULL AND b.expires_at > $3
          AND b.expires_at > b.created_at + make_interval(secs => $2)`,
      [tenant, ttlSeconds, now],
    );
  }
}
