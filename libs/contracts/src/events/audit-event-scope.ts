import { AuditActor, AuditEvent, AuditEventType } from './audit-event';

/**
 * Whose audit trail a fact belongs to (issue 16). A user may belong to several tenants (AUTH-18),
 * and the tenants are separate customers: one tenant's admin must never read what happened in
 * another tenant, nor learn another tenant's number, admin or settings from a fact about a user
 * they share. Operators (`/ops/audit-events`) see every fact whatever its scope.
 *
 * - `acting_tenant`: an action taken in one tenant (an admin's change to a user, a case, a contract,
 *   a tenant's policy). It belongs to that tenant only: the tenant the actor acted in
 *   (`actor.tenant`), or, for an actor outside any tenant (an operator working a tenant's case), the
 *   one tenant the writer names in `tenants`. A fact that names no single tenant is the operators'.
 * - `account_tenants`: a fact about an account that each of its tenants has a right to (a lockout,
 *   a password or MFA change, a reset). It belongs to every tenant the writer names (the account's
 *   tenants), and carries no one tenant's number: `actor.tenant` is removed.
 * - `acting_tenant_else_account`: a sign-in fact. Once the session acts in a tenant (a login after
 *   the tenant was chosen, a tenant switch, a step-up) it is that tenant's, as `acting_tenant`;
 *   before any tenant is chosen (the password step of a user in several tenants) it is the
 *   account's, as `account_tenants`.
 * - `operators`: provider-side facts (an operator created, the service catalogue, knowledge and
 *   announcements): no tenant's admin sees them.
 */
export type AuditEventScope =
  'acting_tenant' | 'account_tenants' | 'acting_tenant_else_account' | 'operators';

/**
 * The scope of every fact type. Adding a type to AUDIT_EVENT_TYPES without a line here fails to
 * compile, with the message "audit event type without a scope in AUDIT_EVENT_SCOPES: <type>" (see
 * below): decide whose trail the new fact belongs to, and say so here.
 */
export const AUDIT_EVENT_SCOPES = {
  // The password step and its refusals happen before a tenant is chosen; a wrong password met while
  // changing it inside a tenant's session is that tenant's.
  'auth.login.succeeded': 'acting_tenant_else_account',
  'auth.login.failed': 'acting_tenant_else_account',
  'auth.login.locked_out': 'account_tenants',
  'auth.login.refused_locked': 'acting_tenant_else_account',
  'auth.login.refused_disabled': 'acting_tenant_else_account',
  'auth.login.second_factor_required': 'acting_tenant_else_account',
  // Codes of a login are the account's; codes of a step-up are the step-up's tenant's.
  'auth.second_factor.code_sent': 'acting_tenant_else_account',
  'auth.second_factor.succeeded': 'acting_tenant_else_account',
  'auth.second_factor.failed': 'acting_tenant_else_account',
  'auth.session.started': 'acting_tenant_else_account',
  // Includes the tenant switch (reason `tenant_selected`): the tenant switched to.
  'auth.session.refreshed': 'acting_tenant_else_account',
  'auth.session.ended': 'acting_tenant_else_account',
  'auth.session.refresh_reused': 'acting_tenant_else_account',
  'auth.password_reset.requested': 'account_tenants',
  'auth.password_reset.refused': 'account_tenants',
  'auth.password_reset.blocked': 'account_tenants',
  'auth.password_reset.completed': 'account_tenants',
  // The lock is the account's, but the unlock is an admin's action in their tenant (issue 16).
  'auth.account.unlocked': 'acting_tenant',
  'auth.operator.created': 'operators',
  'auth.tenant.created': 'acting_tenant',
  'auth.user.created': 'acting_tenant',
  'auth.user.updated': 'acting_tenant',
  'auth.user.user_id_changed': 'acting_tenant',
  'auth.user.login_disabled': 'acting_tenant',
  'auth.user.login_enabled': 'acting_tenant',
  'auth.user.notification_email_set': 'acting_tenant',
  'auth.user.email_deliverable': 'acting_tenant',
  // Set by a bounce, not in any tenant: every tenant of the account may see its user's address failed.
  'auth.user.email_undeliverable': 'account_tenants',
  // The tenant joined; the user's other tenants are not told where else the user works.
  'auth.member.added': 'acting_tenant',
  'auth.login.denied_risk': 'acting_tenant_else_account',
  'auth.login.risk_assessed': 'acting_tenant_else_account',
  'auth.login.initial_password_failed': 'acting_tenant_else_account',
  'auth.step_up.required': 'acting_tenant_else_account',
  'auth.step_up.succeeded': 'acting_tenant_else_account',
  'auth.trusted_browser.added': 'account_tenants',
  'auth.trusted_browser.revoked': 'account_tenants',
  'auth.tenant.security_policy_updated': 'acting_tenant',
  // The account's credentials: each tenant's logins depend on them.
  'auth.totp.enrolment_started': 'account_tenants',
  'auth.totp.enabled': 'account_tenants',
  'auth.totp.disabled': 'account_tenants',
  'auth.totp.replay_refused': 'acting_tenant_else_account',
  'auth.passkey.registered': 'account_tenants',
  'auth.passkey.renamed': 'account_tenants',
  'auth.passkey.deleted': 'account_tenants',
  'auth.push.approver_registered': 'account_tenants',
  'auth.push.approver_removed': 'account_tenants',
  'auth.push.requested': 'acting_tenant_else_account',
  'auth.push.approved': 'acting_tenant_else_account',
  'auth.push.denied': 'acting_tenant_else_account',
  'auth.password.changed': 'account_tenants',
  'auth.profile.updated': 'account_tenants',
  'auth.mfa.sms_disabled': 'account_tenants',
  'auth.mfa.reset': 'account_tenants',
  // Someone tried to have the account's MFA reset: every tenant of the account should know.
  'auth.mfa.reset_refused': 'account_tenants',
  'auth.send_cap.reached': 'acting_tenant_else_account',
  // Messages to a user about their account (never the address or the body, see delivery.service).
  'notification.message.sent': 'account_tenants',
  'notification.message.failed': 'account_tenants',
  'notification.message.expired': 'account_tenants',
  'notification.message.delivered': 'account_tenants',
  'notification.message.bounced': 'account_tenants',
  'notification.message.suppressed': 'account_tenants',
  'case-management.service.created': 'operators',
  'case-management.contract.created': 'acting_tenant',
  'case-management.contract.updated': 'acting_tenant',
  'case-management.category.created': 'operators',
  'case-management.category.updated': 'operators',
  'case-management.case.created': 'acting_tenant',
  'case-management.case.status_changed': 'acting_tenant',
  'case-management.case.commented': 'acting_tenant',
  'case-management.case_filter.saved': 'acting_tenant',
  'case-management.case_filter.deleted': 'acting_tenant',
  // A key serves the tenants it names: each of them is told, none learns the others.
  'case-management.integration.created': 'account_tenants',
  'case-management.integration.revoked': 'account_tenants',
  'case-management.alert.received': 'acting_tenant',
  'case-management.case.attachment_added': 'acting_tenant',
  'case-management.case.attachment_downloaded': 'acting_tenant',
  'case-management.knowledge_base.created': 'operators',
  'case-management.knowledge_category.created': 'operators',
  'case-management.knowledge_article.created': 'operators',
  'case-management.knowledge_article.updated': 'operators',
  'case-management.knowledge_article.deleted': 'operators',
  'case-management.announcement.created': 'operators',
  'case-management.announcement.updated': 'operators',
  'case-management.announcement.deleted': 'operators',
  'case-management.announcement.dismissed': 'acting_tenant',
  'case-management.portal_links.updated': 'acting_tenant',
  'case-management.work_request_item.created': 'operators',
  'case-management.work_request_item.updated': 'operators',
  'case-management.work_request.submitted': 'acting_tenant',
  'case-management.work_request.attachment_added': 'acting_tenant',
  'case-management.work_request.attachment_downloaded': 'acting_tenant',
  'case-management.work_request.accepted': 'acting_tenant',
  'case-management.work_request.rejected': 'acting_tenant',
  'case-management.knowledge_article.file_added': 'operators',
  'case-management.knowledge_article.file_downloaded': 'acting_tenant',
  'case-management.announcement.mail_queued': 'operators',
} as const satisfies Record<AuditEventType, AuditEventScope>;

/**
 * The compiler's check that every fact type has a scope, with a message that names the type. A
 * missing entry reads: Type 'true' is not assignable to type '"audit event type without a scope in
 * AUDIT_EVENT_SCOPES: case-management.work_request.accepted"'.
 */
type TypeWithoutScope = Exclude<AuditEventType, keyof typeof AUDIT_EVENT_SCOPES>;
const EVERY_TYPE_HAS_A_SCOPE: [TypeWithoutScope] extends [never]
  ? true
  : `audit event type without a scope in AUDIT_EVENT_SCOPES: ${TypeWithoutScope}` = true;
void EVERY_TYPE_HAS_A_SCOPE;

/**
 * The scope of a type; a type this version does not know (a newer producer's) is treated as the
 * operators' until it is given a scope: no tenant sees what no one has decided it may.
 */
export function auditEventScope(type: string): AuditEventScope {
  return (AUDIT_EVENT_SCOPES as Partial<Record<string, AuditEventScope>>)[type] ?? 'operators';
}

/** The tags and actor of a fact once its scope is applied: what the writers put on the stream. */
export type ScopedFields = Pick<AuditEvent, 'actor' | 'tenants'>;

/**
 * Tags a fact with the tenants it belongs to (see AuditEventScope) and removes from it what one
 * tenant must not read about another. `event.tenants` is what the writer knows (for an account,
 * all of its tenants); the result's `tenants` is whose trail and login history the fact is in.
 */
export function scopeAuditEvent<E extends ScopedFields & { type: string }>(event: E): E {
  const stated = [...new Set(event.tenants ?? [])];
  const { tenant: actingTenant, ...actorWithoutTenant } = event.actor;
  // A fact of no tenant states none, as such facts always have (the stream's `tenants` is optional).
  const tagged = (actor: AuditActor, tenants: string[]): E => {
    const { tenants: _stated, ...rest } = event;
    return (tenants.length > 0 ? { ...rest, actor, tenants } : { ...rest, actor }) as E;
  };
  const acting = (): E => {
    const tenant = actingTenant ?? (stated.length === 1 ? stated[0] : undefined);
    return tenant === undefined
      ? tagged(actorWithoutTenant, [])
      : tagged({ ...actorWithoutTenant, tenant }, [tenant]);
  };
  switch (auditEventScope(event.type)) {
    case 'acting_tenant':
      return acting();
    case 'account_tenants':
      return tagged(actorWithoutTenant, stated);
    case 'acting_tenant_else_account':
      return actingTenant !== undefined ? acting() : tagged(actorWithoutTenant, stated);
    case 'operators':
      return tagged(actorWithoutTenant, []);
  }
}

/**
 * A stored fact as the admins of `tenant` are shown it: `tenants` is their tenant alone and
 * `actor.tenant` is shown only when it is theirs. Facts written before scoping (issue 16) may still
 * name the user's other tenants; this keeps those numbers out of every tenant view and export.
 * Operators are shown the fact as stored.
 */
export function auditEventForTenant<E extends ScopedFields>(event: E, tenant: string): E {
  if (event.actor.tenant === undefined || event.actor.tenant === tenant) {
    return { ...event, tenants: [tenant] };
  }
  const { tenant: _other, ...actor }: AuditActor = event.actor;
  return { ...event, actor, tenants: [tenant] };
}
