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
  /**
   * The name of its CTE in the outbox statement, for a condition (`recordAll`'s `onlyIf`) that reads
   * what it RETURNs; generated when absent.
   */
  name?: string;
}

/**
 * A read model kept by one statement per outbox statement: it runs inside the outbox insert itself
 * (as a data-modifying CTE), so facts and their read model cost one round trip, not two. It gets
 * every fact of the statement, in order (one for `record`, several for `recordAll`), and writes their
 * rows in ONE statement of its own: rows written by separate CTEs of one statement land in no
 * defined order, and none sees another's. The statement sees what the transaction wrote before
 * these facts (its snapshot is the statement's), not the facts themselves.
 */
export type AuditStatementProjection = (
  events: readonly AuditEvent[],
  /** Per fact, the SQL condition it is written under (`recordAll`'s `onlyIf`); undefined: always. */
  onlyIf: readonly (string | undefined)[],
) => ProjectedStatement | null;

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
    const [full] = await this.recordAll(manager, [event], alongside);
    return full;
  }

  /**
   * As `record`, for several facts of one outcome: every fact, its read models and the `alongside`
   * changes go in ONE statement (data-modifying CTEs and a multi-row outbox insert), so an outcome
   * that writes a flow, a session and three facts costs one round trip and is atomic without a
   * transaction of its own. The facts are inserted in the order given.
   *
   * `onlyIf[i]`: a condition (SQL, without parameters) over the named `alongside` CTEs, under which
   * fact `i` (and its read model) is written at all, e.g. the lock a failure may have set: a fact
   * that depends on what a change did still commits with it in one round trip. Returns the facts
   * written.
   */
  async recordAll(
    manager: EntityManager,
    events: NewAuditEvent[],
    alongside: ProjectedStatement[] = [],
    onlyIf: (string | undefined)[] = [],
  ): Promise<AuditEvent[]> {
    if (events.length === 0) {
      throw new Error('recordAll needs at least one fact');
    }
    const rows = events.map((event) => this.build(event));
    const full = rows.map((row) => row.event);
    const conditional = onlyIf.some((condition) => condition !== undefined);
    const params: unknown[] = [];
    const values = rows.map((row, i) => {
      params.push(row.id, row.subject, row.payload);
      const n = params.length;
      return conditional
        ? `SELECT $${n - 2}::uuid, $${n - 1}::text, $${n}::jsonb WHERE ${onlyIf[i] ?? 'true'}`
        : `($${n - 2}, $${n - 1}, $${n})`;
    });
    const ctes: string[] = [];
    const projected = this.statementProjections.map((project) => project(full, onlyIf));
    for (const statement of [...alongside, ...projected]) {
      if (statement) {
        const offset = params.length;
        const sql = statement.sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + offset}`);
        ctes.push(`${statement.name ?? `p${ctes.length}`} AS (${sql})`);
        params.push(...statement.params);
      }
    }
    const insert = conditional
      ? `INSERT INTO ${this.table} (id, subject, payload) ${values.join(' UNION ALL ')} RETURNING id`
      : `INSERT INTO ${this.table} (id, subject, payload) VALUES ${values.join(', ')}`;
    const result: unknown = await manager.query(
      `${ctes.length > 0 ? `WITH ${ctes.join(', ')} ` : ''}${insert}`,
      params,
    );
    const written = conditional
      ? full.filter((event) => (result as { id: string }[]).some((r) => r.id === event.id))
      : full;
    for (const event of written) {
      for (const project of this.projections) {
        await project(manager, event);
      }
    }
    // The outbox's trigger wakes the relay (createOutboxNotifyTriggerSql) once this commits.
    return written;
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
