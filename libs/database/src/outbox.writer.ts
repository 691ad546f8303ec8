import { randomUUID } from 'node:crypto';
import { EntityManager } from 'typeorm';
import { Clock } from '@app/config';
import { AuditEvent, auditSubject, scopeAuditEvent } from '@app/contracts';
import { RequestContext } from '@app/observability';

/** An event as a service states it; id, time, correlation id and client come from the context. */
export type NewAuditEvent = Omit<AuditEvent, 'id' | 'occurredAt' | 'correlationId'> &
  Partial<Pick<AuditEvent, 'id'>>;

/**
 * A read model kept from the facts a service records (e.g. the login history, AUTH-22). It runs in
 * the transaction that records the fact, so the model holds a fact exactly when the fact itself was
 * committed; a projection that throws rolls that transaction back, like any other failed write.
 */
export type AuditProjection = (manager: EntityManager, event: AuditEvent) => Promise<void>;

/** One data-modifying statement (an INSERT) with its own parameters, numbered from $1. */
export interface ProjectedStatement {
  sql: string;
  params: unknown[];
}

/**
 * A read model kept by one statement per fact: it runs inside the outbox insert itself (as a
 * data-modifying CTE), so a fact and its read model cost one round trip, not two. The statement sees
 * what the transaction wrote before this fact (its snapshot is the statement's), not the fact itself.
 */
export type AuditStatementProjection = (event: AuditEvent) => ProjectedStatement | null;

/**
 * Writes facts into the service's outbox inside the caller's transaction (AUDIT-1): the fact exists
 * exactly when the change it describes was committed. The relay publishes it to JetStream.
 */
export class OutboxWriter {
  private readonly projections: AuditProjection[] = [];
  private readonly statementProjections: AuditStatementProjection[] = [];

  constructor(
    private readonly schema: string,
    private readonly clock: Clock,
  ) {}

  /** Registers a projection (at module init); it sees every event recorded from then on, in order. */
  addProjection(projection: AuditProjection): void {
    this.projections.push(projection);
  }

  /** Registers a projection written in the outbox insert's own statement (see AuditStatementProjection). */
  addStatementProjection(projection: AuditStatementProjection): void {
    this.statementProjections.push(projection);
  }

  /**
   * Records the fact tagged with the tenants it belongs to (scopeAuditEvent, issue 16): writers state
   * the tenant they acted in and the account's tenants, and the fact's type decides which of them see
   * it. Projections (the login history) get the tagged fact, so they follow the same rule.
   */
  /**
   * `alongside`: changes that must commit with the fact, sent in the same statement (data-modifying
   * CTEs, before the projections): with them a change and its fact are one atomic round trip, and
   * need no transaction of their own. They must not touch the same rows as each other.
   */
  async record(
    manager: EntityManager,
    event: NewAuditEvent,
    alongside: ProjectedStatement[] = [],
  ): Promise<AuditEvent> {
    const row = this.build(event);
    const full = row.event;
    const params: unknown[] = [row.id, row.subject, row.payload];
    const ctes: string[] = [];
    const projected = this.statementProjections.map((project) => project(full));
    for (const statement of [...alongside, ...projected]) {
      if (statement) {
        const offset = params.length;
        ctes.push(
          `p${ctes.length} AS (${statement.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`)})`,
        );
        params.push(...statement.params);
      }
    }
    await manager.query(
      `${ctes.length > 0 ? `WITH ${ctes.join(', ')} ` : ''}INSERT INTO ${this.table} (id, subject, payload) VALUES ($1, $2, $3)`,
      params,
    );
    for (const project of this.projections) {
      await project(manager, full);
    }
    // The outbox's trigger wakes the relay (createOutboxNotifyTriggerSql) once this commits.
    return full;
  }

  /**
   * The outbox row `record` would write for the event, built now (in the caller's request context),
   * for a writer that inserts many facts in one statement of its own (into `table`, in the same
   * statement or transaction as the change they describe). Projections run only through `record`,
   * so a service that registered one must use `record`.
   */
  prepare(event: NewAuditEvent): OutboxRow {
    if (this.projections.length > 0 || this.statementProjections.length > 0) {
      throw new Error('this outbox has projections: facts must go through record()');
    }
    return this.build(event);
  }

  /** The outbox table, schema-qualified. */
  get table(): string {
    return `"${this.schema}".outbox`;
  }

  private build(event: NewAuditEvent): OutboxRow {
    const ctx = RequestContext.current();
    const full: AuditEvent = scopeAuditEvent({
      ...event,
      id: event.id ?? randomUUID(),
      occurredAt: this.clock.now().toISOString(),
      correlationId: ctx?.requestId ?? randomUUID(),
      actor: {
        ...(ctx?.ip ? { ip: ctx.ip } : {}),
        ...(ctx?.userAgent ? { userAgent: ctx.userAgent } : {}),
        ...event.actor,
      },
    });
    return { id: full.id, subject: auditSubject(full.type), payload: JSON.stringify(full), event: full };
  }
}

/** One outbox row: the fact's id, its JetStream subject and its JSON payload. */
export interface OutboxRow {
  id: string;
  subject: string;
  payload: string;
  event: AuditEvent;
}
