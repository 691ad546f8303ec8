import { Injectable, OnModuleInit } from '@nestjs/common';
import { AuditEvent } from '@app/contracts';
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
    this.outbox.addStatementProjection((event) => this.statement(event));
  }

  /**
   * The row's INSERT, written in the fact's own outbox statement. A row that takes its method from
   * the request finds it in the same statement: the latest earlier row of the same request and user
   * (e.g. the login before its session), in the user index's order and within the request's time, so
   * the scan stops after a few rows.
   */
  statement(event: AuditEvent): ProjectedStatement | null {
    const draft = historyRowOf(event);
    if (!draft) {
      return null;
    }
    const { methodFromRequest, ...row } = draft;
    const params: unknown[] = [
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
    ];
    let method = '$6::text';
    if (methodFromRequest && row.userId !== null) {
      params.push(new Date(row.occurredAt.getTime() - REQUEST_SPAN_MS));
      method = `COALESCE((SELECT h.method FROM auth.login_history h
         WHERE h.user_id = $3 AND h.occurred_at >= $14 AND h.correlation_id = $13
           AND h.method IS NOT NULL AND h.method <> 'other'
         ORDER BY h.occurred_at DESC, h.seq DESC LIMIT 1), $6::text)`;
    }
    return {
      sql: `INSERT INTO auth.login_history
         (id, occurred_at, user_id, tenants, event, method, result, reasons, ip, user_agent,
          target_type, target_id, correlation_id)
       VALUES ($1, $2, $3, $4::text[], $5, ${method}, $7, $8::text[], $9, $10, $11, $12, $13)`,
      params,
    };
  }
}
