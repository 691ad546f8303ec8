import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { HeldThrottle } from '../lockout/lockout.service';
import { FlowCodeRow } from '../flows/second-step-method';
import { LoginFlow } from '../flows/login-flow.entity';
import { LoginAccount } from '../users/login-account';
import { hydrateUser, MembershipJson, MEMBERSHIPS_JSON, membershipsOf } from './password-step.repository';

/** What a verify knows once its one read holds the account's lockout row and the flow's row. */
export interface SecondStepRead {
  flow: LoginFlow;
  account: LoginAccount;
  /** An initial authentication password is set and not yet used (AUTH-14). */
  owesInitialPassword: boolean;
  /** The account's lockout row, as locked (AUTH-6). */
  throttle: HeldThrottle;
  /** The flow's newest security code, locked with it; null when it has none. */
  latestCode: FlowCodeRow | null;
  /** A step-up's session's active tenant; null for a login (see actingTenantOf). */
  actingTenant: string | null;
}

interface Row {
  x_flow: Record<string, string | null>;
  x_locked_until: Date | null;
  x_code_failures: number;
  x_memberships: MembershipJson[];
  x_initial_owed: boolean;
  x_acting_tenant: string | null;
  x_code: Record<string, string | number | null> | null;
  [column: string]: unknown;
}

/**
 * The second step's one read (issue 13): in the verify's transaction, a single statement takes the
 * account's lockout row lock (creating the row when the key has none), then the flow's row lock,
 * then the lock of the flow's newest code, and reads the account with its tenants, whether an
 * initial password is owed and the tenant a step-up acts in.
 *
 * The locks are taken in the order every verify and approval takes them (lockout row first, see
 * SecondStepService): the flow's lock waits on the lockout row's, because its rows only pass once
 * the row-locking insert has returned. A lock that waited reads the latest version of its row, so a
 * flow completed by a concurrent verify is seen completed.
 */
@Injectable()
export class SecondStepRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * Null when the flow is unknown, finished, past its time at `now` or waiting for the initial
   * password (nothing is locked then: the initial-password step locks a flow before the lockout row,
   * so a verify must not hold that row while it waits for such a flow). A flow that changed while
   * this waited for the lockout row comes back as it is now.
   */
  async lockForVerify(manager: EntityManager, flowId: string, now: Date): Promise<SecondStepRead | null> {
    const rows: Row[] = await manager.query(
      `WITH target AS (
         SELECT u.user_id_key AS key
           FROM auth.login_flow f JOIN auth.app_user u ON u.id = f.user_id
          WHERE f.id = $1 AND f.status = 'pending' AND f.expires_at > $2 AND f.stage = 'second_factor'
       ),
       held AS (
         INSERT INTO auth.login_throttle AS t (key, failures, settled_failures, code_failures)
         SELECT key, 0, 0, 0 FROM target
         ON CONFLICT (key) DO UPDATE SET code_failures = t.code_failures
         RETURNING t.locked_until, t.code_failures
       ),
       flow AS (
         SELECT f.* FROM auth.login_flow f WHERE f.id = $1 AND EXISTS (SELECT 1 FROM held) FOR UPDATE
       )
       SELECT u.*,
         row_to_json(fl) AS x_flow,
         held.locked_until AS x_locked_until,
         held.code_failures AS x_code_failures,
         ${MEMBERSHIPS_JSON} AS x_memberships,
         EXISTS (SELECT 1 FROM auth.initial_password WHERE user_id = u.id AND used_at IS NULL) AS x_initial_owed,
         (SELECT s.active_tenant FROM auth.session s
           WHERE s.id = fl.session_id AND fl.purpose = 'step_up') AS x_acting_tenant,
         row_to_json(c) AS x_code
       FROM flow fl
       CROSS JOIN held
       JOIN auth.app_user u ON u.id = fl.user_id
       LEFT JOIN LATERAL (
         SELECT c.id, c.channel, c.code_hmac, c.created_at, c.expires_at, c.attempts_left,
                c.consumed_at, c.voided_at
           FROM auth.security_code c WHERE c.flow_id = fl.id
          ORDER BY c.created_at DESC LIMIT 1 FOR UPDATE
       ) AS c ON true`,
      [flowId, now],
    );
    const row = rows[0];
    if (!row) {
      return null;
    }
    return {
      flow: flowOf(row.x_flow),
      account: {
        user: hydrateUser(this.dataSource, row),
        memberships: membershipsOf(row.x_memberships),
      },
      owesInitialPassword: row.x_initial_owed,
      throttle: {
        lockedUntil: row.x_locked_until === null ? null : new Date(row.x_locked_until),
        codeFailures: row.x_code_failures,
      },
      latestCode: row.x_code ? codeOf(row.x_code) : null,
      actingTenant: row.x_acting_tenant,
    };
  }
}

/** A JSON timestamp (or null) as a Date. */
function dateOf(value: string | number | null | undefined): Date | null {
  return value === null || value === undefined ? null : new Date(value);
}

function flowOf(json: Record<string, string | null>): LoginFlow {
  return Object.assign(new LoginFlow(), {
    id: json.id,
    userId: json.user_id,
    purpose: json.purpose,
    status: json.status,
    sessionId: json.session_id,
    stage: json.stage,
    secondFactorAt: dateOf(json.second_factor_at),
    secondFactorMethod: json.second_factor_method,
    trustBrowserName: json.trust_browser_name,
    ip: json.ip,
    userAgent: json.user_agent,
    createdAt: dateOf(json.created_at),
    expiresAt: dateOf(json.expires_at),
    completedAt: dateOf(json.completed_at),
  });
}

function codeOf(json: Record<string, string | number | null>): FlowCodeRow {
  return {
    id: json.id as string,
    channel: json.channel as FlowCodeRow['channel'],
    codeHmac: json.code_hmac as string,
    createdAt: dateOf(json.created_at) as Date,
    expiresAt: dateOf(json.expires_at) as Date,
    attemptsLeft: Number(json.attempts_left),
    consumedAt: dateOf(json.consumed_at),
    voidedAt: dateOf(json.voided_at),
  };
}
