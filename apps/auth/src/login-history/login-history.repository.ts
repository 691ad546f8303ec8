import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AuditOutcome, LoginHistoryEntryView, LoginHistoryEvent, LoginHistoryMethod } from '@app/contracts';

/**
 * Whose history a read covers. There is no unscoped read: a query names either one user (their own
 * history) or one tenant (its admin's view), so a tenant admin's query cannot leave their tenant.
 */
export type HistoryScope =
  { kind: 'user'; userId: string } | { kind: 'tenant'; tenant: string; userId?: string };

export interface HistoryWindow {
  /** Inclusive. */
  from?: Date;
  /** Exclusive. */
  to?: Date;
}

interface HistoryRow {
  id: string;
  occurred_at: Date;
  user_id: string;
  login_id: string | null;
  event: LoginHistoryEvent;
  method: LoginHistoryMethod | null;
  result: AuditOutcome;
  reasons: string[];
  ip: string | null;
  user_agent: string | null;
  target_type: string | null;
  target_id: string | null;
}

/** Reads of auth.login_history, newest first; rows of unknown IDs (no user) are never read. */
@Injectable()
export class LoginHistoryRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** The reader's login ID, language and time zone as stored; null for an unknown id. */
  async reader(
    userId: string,
  ): Promise<{ user_id: string; language: string; timezone: string | null } | null> {
    const rows: { user_id: string; language: string; timezone: string | null }[] =
      await this.dataSource.query(`SELECT user_id, language, timezone FROM auth.app_user WHERE id = $1`, [
        userId,
      ]);
    return rows[0] ?? null;
  }

  async count(scope: HistoryScope, window: HistoryWindow): Promise<number> {
    const { where, params } = this.filter(scope, window);
    const [{ n }] = (await this.dataSource.query(
      `SELECT count(*)::int AS n FROM auth.login_history h WHERE ${where}`,
      params,
    )) as { n: number }[];
    return n;
  }

  async list(
    scope: HistoryScope,
    window: HistoryWindow,
    page: { offset: number; limit: number },
  ): Promise<LoginHistoryEntryView[]> {
    const { where, params } = this.filter(scope, window);
    const rows = (await this.dataSource.query(
      `SELECT h.id, h.occurred_at, h.user_id, u.user_id AS login_id, h.event, h.method, h.result,
              h.reasons, h.ip, h.user_agent, h.target_type, h.target_id
       FROM auth.login_history h LEFT JOIN auth.app_user u ON u.id = h.user_id
       WHERE ${where}
       ORDER BY h.occurred_at DESC, h.seq DESC
       OFFSET $${params.length + 1} LIMIT $${params.length + 2}`,
      [...params, page.offset, page.limit],
    )) as HistoryRow[];
    return rows.map(toView);
  }

  private filter(scope: HistoryScope, window: HistoryWindow): { where: string; params: unknown[] } {
    const clauses: string[] = [];
    const params: unknown[] = [];
    const param = (value: unknown): string => {
      params.push(value);
      return `$${params.length}`;
    };
    if (scope.kind === 'user') {
      clauses.push(`h.user_id = ${param(scope.userId)}`);
    } else {
      clauses.push(`h.tenants @> ARRAY[${param(scope.tenant)}]::text[]`, 'h.user_id IS NOT NULL');
      if (scope.userId !== undefined) {
        clauses.push(`h.user_id = ${param(scope.userId)}`);
      }
    }
    if (window.from) {
      clauses.push(`h.occurred_at >= ${param(window.from)}`);
    }
    if (window.to) {
      clauses.push(`h.occurred_at < ${param(window.to)}`);
    }
    return { where: clauses.join(' AND '), params };
  }
}

function toView(row: HistoryRow): LoginHistoryEntryView {
  return {
    id: row.id,
    occurredAt: row.occurred_at.toISOString(),
    userId: row.user_id,
    loginId: row.login_id,
    event: row.event,
    method: row.method,
    result: row.result,
    reasons: row.reasons,
    ip: row.ip,
    userAgent: row.user_agent,
    target: row.target_type && row.target_id ? { type: row.target_type, id: row.target_id } : null,
  };
}
