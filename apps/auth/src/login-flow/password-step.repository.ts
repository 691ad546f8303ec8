import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '@app/config';
import { reserveAttemptSql } from '../lockout/lockout.repository';
import { LOCK_DURATION_MS, LockoutService, MAX_PASSWORD_FAILURES } from '../lockout/lockout.service';
import {
  FINGERPRINT_MEMORY_MS,
  FOLD_BATCH,
  FOLD_OVERLAP_MS,
  LoginMemoryRows,
  SessionRow,
} from '../risk/login-memory';
import { User } from '../users/user.entity';
import { InitialPassword } from './initial-password.entity';
import { AccountMembership, LoginAccount } from '../users/login-account';

/** What the password step knows before it looks at the password. */
export interface PasswordStepRead {
  /** A try was reserved (AUTH-3); otherwise the key is locked for `retryAfterSeconds`. */
  reservation: { allowed: true } | { allowed: false; retryAfterSeconds: number };
  /** With `preloaded` facts (offers, initial password); null for an unknown ID. */
  account: LoginAccount | null;
  /** The risk memory's rows (AUTH-11); null for an unknown ID. */
  memory: LoginMemoryRows | null;
}

interface Row {
  allowed: boolean;
  x_settled_failures: number | null;
  x_locked_until: Date | null;
  x_memberships: MembershipJson[];
  x_has_history: boolean;
  x_recent_prints: string[];
  x_fold: { ip: string | null; user_agent: string | null; created_at: string }[];
  x_last_ip: string | null;
  x_last_at: Date | null;
  x_totp: boolean;
  x_push_names: string[];
  x_initial_owed: boolean;
  [column: string]: unknown;
}

/**
 * The password step's one read (issue 13): a single statement reserves the try (the same atomic
 * upsert as LockoutService.reserveAttempt, committed before the password is checked) and reads the
 * account with its tenants, the lock's end when refused, the risk memory (fingerprints, sessions to
 * fold, last login), what the method offers need (TOTP, push approvers) and whether an initial
 * password is owed. A known and an unknown ID send the same statement and get one row back each, so
 * neither the number of round trips nor their shape tells whether the ID exists (AUTH-3, AUTH-16).
 */
@Injectable()
export class PasswordStepRepository {
  constructor(
    private readonly dataSource: DataSource,
    private readonly lockout: LockoutService,
    private readonly clock: Clock,
  ) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** For a statement that commits on its own (a refusal's fact, a fact sent with its change). */
  get standalone(): EntityManager {
    return this.dataSource.manager;
  }

  /** The user's initial authentication password (AUTH-14); null when none was set. */
  initialPassword(
    userId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<InitialPassword | null> {
    return manager.getRepository(InitialPassword).findOne({ where: { userId } });
  }

  /**
   * Marks the initial password used, only if it is still unused: of two concurrent right answers
   * only one finds it unused. False: it was used already (or there is none).
   */
  async useInitialPassword(manager: EntityManager, userId: string, now: Date): Promise<boolean> {
    const used = await manager
      .createQueryBuilder()
      .update(InitialPassword)
      .set({ usedAt: now })
      .where('user_id = :id AND used_at IS NULL', { id: userId })
      .execute();
    return used.affected === 1;
  }

  async reserveAndRead(key: string): Promise<PasswordStepRead> {
    const now = this.clock.now();
    const lockUntil = new Date(now.getTime() + LOCK_DURATION_MS);
    const seenSince = new Date(now.getTime() - FINGERPRINT_MEMORY_MS);
    const [row]: Row[] = await this.dataSource.query(
      `WITH reserved AS (
         ${reserveAttemptSql('t.settled_failures')}
       )
       SELECT u.*,
         EXISTS (SELECT 1 FROM reserved) AS allowed,
         (SELECT settled_failures FROM reserved) AS x_settled_failures,
         (SELECT locked_until FROM auth.login_throttle WHERE key = $1 AND locked_until > $2) AS x_locked_until,
         ${MEMBERSHIPS_JSON} AS x_memberships,
         EXISTS (SELECT 1 FROM auth.login_fingerprint WHERE user_id = u.id) AS x_has_history,
         ARRAY(SELECT kind || ':' || value_hmac FROM auth.login_fingerprint
                WHERE user_id = u.id AND last_seen > $5) AS x_recent_prints,
         COALESCE((
           SELECT json_agg(json_build_object('ip', s.ip, 'user_agent', s.user_agent, 'created_at', s.created_at)
                  ORDER BY s.created_at DESC)
             FROM (SELECT ip, user_agent, created_at FROM auth.session
                    WHERE user_id = u.id
                      AND created_at >= COALESCE(
                            (SELECT max(last_seen) FROM auth.login_fingerprint WHERE user_id = u.id) - $6::interval,
                            '-infinity')
                    ORDER BY created_at DESC
                    LIMIT $7) AS s), '[]') AS x_fold,
         last.ip AS x_last_ip, last.created_at AS x_last_at,
         EXISTS (SELECT 1 FROM auth.totp_credential WHERE user_id = u.id AND enabled_at IS NOT NULL) AS x_totp,
         ARRAY(SELECT name FROM auth.push_approver WHERE user_id = u.id AND revoked_at IS NULL
                ORDER BY created_at) AS x_push_names,
         EXISTS (SELECT 1 FROM auth.initial_password WHERE user_id = u.id AND used_at IS NULL) AS x_initial_owed
       FROM (SELECT 1) AS one
       LEFT JOIN auth.app_user u ON u.user_id_key = $1
       LEFT JOIN LATERAL (
         SELECT ip, created_at FROM auth.session WHERE user_id = u.id ORDER BY created_at DESC LIMIT 1
       ) AS last ON true`,
      [key, now, lockUntil, MAX_PASSWORD_FAILURES, seenSince, `${FOLD_OVERLAP_MS} milliseconds`, FOLD_BATCH],
    );
    const reservation: PasswordStepRead['reservation'] = row.allowed
      ? { allowed: true }
      : {
          allowed: false,
          // The statement's snapshot predates a lock that a concurrent attempt committed while this
          // one waited on the row: only then is the lock read again. No active lock any more means a
          // concurrent success has just cleared it: try again at once.
          retryAfterSeconds: row.x_locked_until
            ? secondsUntil(row.x_locked_until, now)
            : ((await this.lockout.lockedFor(key)) ?? 1),
        };
    if (row.id === null || row.id === undefined) {
      return { reservation, account: null, memory: null };
    }
    return {
      reservation,
      account: {
        user: this.userOf(row),
        memberships: membershipsOf(row.x_memberships),
        preloaded: {
          totpEnabled: row.x_totp,
          pushApproverNames: row.x_push_names,
          owesInitialPassword: row.x_initial_owed,
        },
      },
      memory: {
        hasHistory: row.x_has_history,
        recentPrints: row.x_recent_prints,
        sessionsToFold: row.x_fold.map((s): SessionRow => ({
          ip: s.ip,
          user_agent: s.user_agent,
          created_at: new Date(s.created_at),
        })),
        lastLogin: row.x_last_at ? { ip: row.x_last_ip, at: new Date(row.x_last_at) } : null,
        recentFailures: row.x_settled_failures ?? 0,
      },
    };
  }

  /** The user entity from the row's `auth.app_user` columns, hydrated as TypeORM would. */
  private userOf(row: Row): User {
    return hydrateUser(this.dataSource, row);
  }
}

/** A user entity from a raw row holding every `auth.app_user` column, hydrated as TypeORM would. */
/**
 * The account's memberships with their tenants' names and MFA rule, as one JSON column of a
 * statement that reads the user as `u`: the login path's reads take the account in one round trip.
 */
export const MEMBERSHIPS_JSON = `COALESCE((
           SELECT json_agg(json_build_object(
                    'tenant_number', m.tenant_number, 'tenant_name', tn.name, 'role', m.role,
                    'mfa_always', tn.mfa_always, 'notification_email', m.notification_email)
                  ORDER BY m.created_at, m.tenant_number)
             FROM auth.membership m LEFT JOIN auth.tenant tn ON tn.number = m.tenant_number
            WHERE m.user_id = u.id), '[]')`;

/** One element of MEMBERSHIPS_JSON. */
export interface MembershipJson {
  tenant_number: string;
  tenant_name: string | null;
  role: 'admin' | 'user';
  mfa_always: boolean | null;
  notification_email: string | null;
}

export function membershipsOf(rows: MembershipJson[]): AccountMembership[] {
  return rows.map((m) => ({
    tenantNumber: m.tenant_number,
    tenantName: m.tenant_name ?? m.tenant_number,
    role: m.role,
    mfaAlways: m.mfa_always ?? false,
    notificationEmail: m.notification_email ?? null,
  }));
}

export function hydrateUser(dataSource: DataSource, row: Record<string, unknown>): User {
  const metadata = dataSource.getMetadata(User);
  const user = metadata.create() as User;
  for (const column of metadata.columns) {
    if (column.relationMetadata) {
      continue;
    }
    const value = dataSource.driver.prepareHydratedValue(row[column.databaseName], column);
    (user as unknown as Record<string, unknown>)[column.propertyName] = value;
  }
  return user;
}

/** Whole seconds, rounded up so a client told "retry after N" is never early; at least 1. */
function secondsUntil(until: Date, now: Date): number {
  return Math.max(1, Math.ceil((new Date(until).getTime() - now.getTime()) / 1000));
}
