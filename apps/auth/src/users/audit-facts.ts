import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditActor, AuditEventType } from '@app/contracts';
import { NewAuditEvent, OutboxWriter, ProjectedStatement } from '@app/database';
import { auditActor, LoginAccount, tenantNumbers } from './login-account';

/** A fact as a rule states it: who acted and which tenants it concerns come from `AuditFacts.of…`. */
export type Fact = Omit<NewAuditEvent, 'actor' | 'tenants'>;

/** Facts of one actor: every fact it records carries the same actor and tenants. */
export class FactRecorder {
  constructor(
    private readonly outbox: OutboxWriter,
    readonly actor: AuditActor,
    readonly tenants: string[],
  ) {}

  /**
   * In the caller's transaction: the fact exists exactly when the change it describes commits.
   * `alongside`: changes sent in the fact's own statement (`OutboxWriter.record`).
   */
  async record(manager: EntityManager, fact: Fact, alongside?: ProjectedStatement[]): Promise<void> {
    const event = this.event(fact);
    // Without `alongside` the call reads as it always has (the writer's default applies).
    await (alongside ? this.outbox.record(manager, event, alongside) : this.outbox.record(manager, event));
  }

  /** The fact as this actor's event, to be written later with others (`OutcomeWrite`). */
  event(fact: Fact): NewAuditEvent {
    const { type, ...rest } = fact;
    // The fields in the order every writer states them: the stored payload reads the same.
    return { type, actor: this.actor, ...rest, tenants: this.tenants };
  }
}

/**
 * What one outcome writes (its changes and its facts, possibly of several actors), gathered by the
 * rules that decide it and sent as ONE statement (`OutboxWriter.recordAll`): a login that completes
 * a flow, consumes a code, starts a session and records three facts costs one round trip, and all of
 * it commits or none does. The changes must not touch the same rows as each other.
 */
export class OutcomeWrite {
  private readonly events: NewAuditEvent[] = [];
  private readonly conditions: (string | undefined)[] = [];
  private readonly changes: ProjectedStatement[] = [];

  constructor(private readonly outbox: OutboxWriter) {}

  /** A fact, in the order of the calls. */
  fact(recorder: FactRecorder, fact: Fact): this {
    this.events.push(recorder.event(fact));
    this.conditions.push(undefined);
    return this;
  }

  /**
   * A fact written only when `onlyIf` (SQL over the named changes, see OutboxWriter.recordAll) holds
   * as the statement runs: for a fact that depends on what a change did (the failure that locks).
   */
  factIf(recorder: FactRecorder, fact: Fact, onlyIf: string): this {
    this.events.push(recorder.event(fact));
    this.conditions.push(onlyIf);
    return this;
  }

  /** Changes that commit with the facts. */
  change(...statements: ProjectedStatement[]): this {
    this.changes.push(...statements);
    return this;
  }

  /** The facts so far, for a rule (or a spec) that reads what the outcome records. */
  get facts(): readonly NewAuditEvent[] {
    return this.events;
  }

  /**
   * Sends everything gathered in one statement, in `manager`'s transaction or on its own; returns
   * the types of the facts written (all but the conditional ones whose condition did not hold).
   */
  async commit(manager: EntityManager): Promise<AuditEventType[]> {
    const written = this.conditions.some((c) => c !== undefined)
      ? await this.outbox.recordAll(manager, this.events, this.changes, this.conditions)
      : await this.outbox.recordAll(manager, this.events, this.changes);
    return written.map((event) => event.type);
  }
}

/**
 * The one place that says who a fact is about (AUDIT-2: ids only, never the login ID, e-mail or
 * phone) and whose tenants see it, so the rules state only what happened.
 */
@Injectable()
export class AuditFacts {
  constructor(private readonly outbox: OutboxWriter) {}

  /** Facts of `account` (acting in `tenant` when given): every tenant of the account sees them. */
  of(account: LoginAccount | null, tenant?: string | null): FactRecorder {
    return new FactRecorder(this.outbox, auditActor(account, tenant), tenantNumbers(account));
  }

  /** An outcome's changes and facts, written together in one statement (see OutcomeWrite). */
  outcome(): OutcomeWrite {
    return new OutcomeWrite(this.outbox);
  }

  /**
   * Facts of `actor` seen by `tenants`, for a writer that is handed both (a switch-off an admin, an
   * operator or the user caused; a bounce that names only the user).
   */
  as(actor: AuditActor, tenants: string[]): FactRecorder {
    return new FactRecorder(this.outbox, actor, tenants);
  }

  /** Facts of an operator's action, seen by `tenants` (operators belong to no tenant). */
  ofOperator(operator: { id: string }, tenants: string[]): FactRecorder {
    return new FactRecorder(this.outbox, { userId: operator.id }, tenants);
  }

  /**
   * Facts of an admin's action in their tenant: that tenant's alone, even on a user shared with
   * other tenants (AUDIT_EVENT_SCOPES): the others never see this admin, nor what they set.
   */
  ofAdmin(admin: { principal: { id: string }; tenant: string }): FactRecorder {
    return new FactRecorder(this.outbox, { userId: admin.principal.id, tenant: admin.tenant }, [
      admin.tenant,
    ]);
  }
}
