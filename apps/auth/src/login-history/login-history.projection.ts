import { Injectable, OnModuleInit } from '@nestjs/common';
import { AuditEvent, LoginHistoryMethod } from '@app/contracts';
import { OutboxWriter, ProjectedStatement } from '@app/database';
import { historyRowOf } from './history-row.util';

/** Longer than any one request takes; rows of the same request are looked for within it. */
const REQUEST_SPAN_MS = 10 * 60 * 1000;

/**
 * Keeps the login history (AUTH-22) from the audit facts, in the transaction that records each fact:
 * a history row exists exactly when its fact was committed, and every way into an account (password,
 * codes, TOTP, passkeys, app approval, trusted browsers) is covered because each records its facts
 * through OutboxWriter.
 */
@Injectable()
export class LoginHistoryProjection implements OnModuleInit {
  constructor(private readonly outbox: OutboxWriter) {}

  onModuleInit(): void {
    this.outbox.addStatementProjection((events, onlyIf) => this.statement(events, onlyIf));
  }

  /**
   * The rows' INSERT, written in the facts' own outbox statement: one multi-row INSERT, so the rows
   * of one statement take their `seq` in the facts' order. A row that takes its method from the
   * request finds it among the facts before it in the statement, else with a subquery: the latest
   * earlier row of the same request and user (e.g. the login before its session), in the user
   * index's order and within the request's time, so the scan stops after a few rows.
   */
  statement(
    events: readonly AuditEvent[],
    onlyIf: readonly (string | undefined)[] = [],
  ): ProjectedStatement | null {
    // A fact written only under a condition has its row written under the same one: the rows are
    // then SELECTs (typed, as there is no VALUES target to type them) joined by UNION ALL.
    const conditional = onlyIf.some((condition) => condition !== undefined);
    const params: unknown[] = [];
    const values: string[] = [];
    events.forEach((event, i) => {
      const draft = historyRowOf(event);
      if (!draft) {
        return;
      }
      const { methodFromRequest, ...row } = draft;
      // The rows of facts before this one in the statement are not visible to its subquery.
      const batched =
        methodFromRequest && row.userId !== null
          ? methodIn(
              // A fact written only under a condition may not be there: it answers for no row.
              events.slice(0, i).filter((_, j) => onlyIf[j] === undefined),
              row.userId,
              row.correlationId,
            )
          : null;
      if (batched) {
        row.method = batched;
      }
      const n = params.length;
      params.push(
        row.id,
        row.occurredAt,
        row.userId,
        row.tenants,
        row.event,
        row.method,
        row.result,
        row.reasons,
        row.ip,
        row.userAgent,
        row.targetType,
        row.targetId,
        row.correlationId,
      );
      const $ = (k: number) => `$${n + k}`;
      let method = `${$(6)}::text`;
      if (methodFromRequest && row.userId !== null && !batched) {
        params.push(new Date(row.occurredAt.getTime() - REQUEST_SPAN_MS));
        method = `COALESCE((SELECT h.method FROM auth.login_history h
         WHERE h.user_id = ${$(3)} AND h.occurred_at >= ${$(14)} AND h.correlation_id = ${$(13)}
           AND h.method IS NOT NULL AND h.method <> 'other'
         ORDER BY h.occurred_at DESC, h.seq DESC LIMIT 1), ${$(6)}::text)`;
      }
      const columns = conditional
        ? `${$(1)}::uuid, ${$(2)}::timestamptz, ${$(3)}::uuid, ${$(4)}::text[], ${$(5)}::text, ${method}, ` +
          `${$(7)}::text, ${$(8)}::text[], ${$(9)}::text, ${$(10)}::text, ${$(11)}::text, ${$(12)}::text, ` +
          `${$(13)}::text`
        : `${$(1)}, ${$(2)}, ${$(3)}, ${$(4)}::text[], ${$(5)}, ${method}, ${$(7)}, ${$(8)}::text[], ` +
          `${$(9)}, ${$(10)}, ${$(11)}, ${$(12)}, ${$(13)}`;
      values.push(conditional ? `SELECT ${columns} WHERE ${onlyIf[i] ?? 'true'}` : `(${columns})`);
    });
    if (values.length === 0) {
      return null;
    }
    return {
      sql: `INSERT INTO auth.login_history
         (id, occurred_at, user_id, tenants, event, method, result, reasons, ip, user_agent,
          target_type, target_id, correlation_id)
       ${conditional ? values.join(' UNION ALL ') : `VALUES ${values.join(', ')}`}`,
      params,
    };
  }
}

/**
 * The method the history row of the latest of `events` of this user and request stores, as the
 * projection stores it; null when none of them names one, or when the one that would answer takes
 * its own from rows before this statement (the subquery then finds the same row it found).
 */
function methodIn(
  events: readonly AuditEvent[],
  userId: string,
  correlationId: string,
): LoginHistoryMethod | null {
  for (let i = events.length - 1; i >= 0; i--) {
    const draft = historyRowOf(events[i]);
    if (!draft || draft.userId !== userId || draft.correlationId !== correlationId) {
      continue;
    }
    const method = draft.methodFromRequest
      ? methodIn(events.slice(0, i), userId, correlationId)
      : draft.method;
    if (draft.methodFromRequest && method === null) {
      return null;
    }
    if (method !== null && method !== 'other') {
      return method;
    }
  }
  return null;
}
