import { AUDIT_EVENT_TYPES, AuditEvent } from './audit-event';
import {
  AUDIT_EVENT_SCOPES,
  auditEventForTenant,
  auditEventScope,
  scopeAuditEvent,
} from './audit-event-scope';

const fact = (overrides: Partial<AuditEvent>): AuditEvent => ({
  id: '0b9d5e0e-8a51-4e0f-9d5c-0d7f0f9b1a11',
  type: 'auth.user.updated',
  occurredAt: '2026-01-01T00:00:00.000Z',
  actor: { userId: 'admin-b', ip: '203.0.113.7' },
  outcome: 'success',
  correlationId: 'c-1',
  ...overrides,
});

describe('AUDIT_EVENT_SCOPES', () => {
  it('names a scope for every fact type and for nothing else', () => {
    expect(Object.keys(AUDIT_EVENT_SCOPES).sort()).toEqual([...AUDIT_EVENT_TYPES].sort());
  });

  it('treats a type it does not know as the operators’ (fail closed)', () => {
    expect(auditEventScope('auth.something.new')).toBe('operators');
    expect(auditEventScope('auth.password.changed')).toBe('account_tenants');
  });
});

describe(scopeAuditEvent.name, () => {
  it("keeps an admin's action in the admin's tenant only, whatever tenants the user has", () => {
    const scoped = scopeAuditEvent(
      fact({
        type: 'auth.user.notification_email_set',
        actor: { userId: 'admin-b', tenant: 'B' },
        tenants: ['A', 'B', 'C'],
      }),
    );
    expect(scoped.tenants).toEqual(['B']);
    expect(scoped.actor).toEqual({ userId: 'admin-b', tenant: 'B' });
  });

  it("puts an operator's action on a tenant's case in that one tenant", () => {
    const scoped = scopeAuditEvent(
      fact({ type: 'case-management.case.commented', actor: { userId: 'op' }, tenants: ['A'] }),
    );
    expect(scoped.tenants).toEqual(['A']);
  });

  it('gives an acting-tenant fact that names no single tenant to the operators only', () => {
    const scoped = scopeAuditEvent(
      fact({ type: 'auth.member.added', actor: { userId: 'op' }, tenants: ['A', 'B'] }),
    );
    expect(scoped.tenants).toBeUndefined();
  });

  it('gives an account fact to each tenant of the account, without the tenant it happened in', () => {
    const scoped = scopeAuditEvent(
      fact({
        type: 'auth.password.changed',
        actor: { userId: 'u', tenant: 'B', ip: '198.51.100.1' },
        tenants: ['A', 'B', 'A'],
      }),
    );
    expect(scoped.tenants).toEqual(['A', 'B']);
    expect(scoped.actor).toEqual({ userId: 'u', ip: '198.51.100.1' });
  });

  it('gives a sign-in fact to the tenant chosen, or to the account before one is', () => {
    const before = scopeAuditEvent(
      fact({ type: 'auth.session.started', actor: { userId: 'u' }, tenants: ['A', 'B'] }),
    );
    expect(before.tenants).toEqual(['A', 'B']);
    const after = scopeAuditEvent(
      fact({ type: 'auth.session.refreshed', actor: { userId: 'u', tenant: 'B' }, tenants: ['A', 'B'] }),
    );
    expect(after.tenants).toEqual(['B']);
    expect(after.actor.tenant).toBe('B');
  });

  it('keeps provider-side facts from every tenant', () => {
    const scoped = scopeAuditEvent(
      fact({
        type: 'case-management.announcement.created',
        actor: { userId: 'op', tenant: 'A' },
        tenants: ['A'],
      }),
    );
    expect(scoped.tenants).toBeUndefined();
    expect(scoped.actor).toEqual({ userId: 'op' });
  });

  it('is idempotent: scoping a scoped fact changes nothing', () => {
    for (const type of AUDIT_EVENT_TYPES) {
      for (const actor of [{ userId: 'u' }, { userId: 'u', tenant: 'B' }]) {
        const once = scopeAuditEvent(fact({ type, actor, tenants: ['A', 'B'] }));
        expect(scopeAuditEvent(once)).toEqual(once);
      }
    }
  });
});

describe(auditEventForTenant.name, () => {
  it("shows a tenant only its own number, never another tenant's acting tenant", () => {
    const stored = fact({ actor: { userId: 'u', tenant: 'B' }, tenants: ['A', 'B'] });
    expect(auditEventForTenant(stored, 'A')).toEqual({ ...stored, actor: { userId: 'u' }, tenants: ['A'] });
    expect(auditEventForTenant(stored, 'B')).toEqual({ ...stored, tenants: ['B'] });
  });
});
