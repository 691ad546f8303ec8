import { Injectable, OnModuleInit } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditEvent } from '@app/contracts';
import { OutboxWriter } from '@app/database';
import { historyRowOf } from './history-row.util';
import { LoginHistoryEntry } from './login-history-entry.entity';

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
    this.outbox.addProjection((manager, event) => this.project(manager, event));
  }

  async project(manager: EntityManager, event: AuditEvent): Promise<void> {
    const draft = historyRowOf(event);
    if (!draft) {
      return;
    }
    const { methodFromRequest, ...row } = draft;
    if (methodFromRequest && row.userId !== null) {
      row.method = (await this.methodOfRequest(manager, row.userId, row)) ?? row.method;
    }
    await manager.getRepository(LoginHistoryEntry).insert(row);
  }

  /** The method of the latest row this request already wrote for the user (e.g. the login before its session). */
  private async methodOfRequest(
    manager: EntityManager,
    userId: string,
    row: { correlationId: string; occurredAt: Date },
  ): Promise<LoginHistoryEntry['method']> {
    // In the user index's order and within the request's time: the scan stops after a few rows.
    const since = new Date(row.occurredAt.getTime() - REQUEST_SPAN_MS);
    const rows: { method: LoginHistoryEntry['method'] }[] = await manager.query(
      `SELECT method FROM auth.login_history
       WHERE user_id = $1 AND occurred_at >= $2 AND correlation_id = $3
         AND method IS NOT NULL AND method <> 'other'
       ORDER BY occurred_at DESC, seq DESC LIMIT 1`,
      [userId, since, row.correlationId],
    );
    return rows[0]?.method ?? null;
  }
}
