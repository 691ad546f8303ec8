import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AuditActor } from '@app/contracts';
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
    const { type, ...rest } = fact;
    // The fields in the order every writer states them: the stored payload reads the same.
    const event = { type, actor: this.actor, ...rest, tenants: this.tenants };
    // Without `alongside` the call reads as it always has (the writer's default applies).
    await (alongside ? this.outbox.record(manager, event, alongside) : this.outbox.record(manager, event));
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
