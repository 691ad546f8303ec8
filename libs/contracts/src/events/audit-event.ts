/**
 * Facts written to the audit trail (AUDIT-1, AUDIT-2). The event type names its service first; the
 * JetStream subject is `audit.<type>`, i.e. `audit.<service>.<event-type>`.
 */
export const AUDIT_EVENT_TYPES = [
  'auth.login.succeeded',
  'auth.login.failed',
  'auth.login.locked_out',
  'auth.login.refused_locked',
  'auth.login.refused_disabled',
  'auth.login.second_factor_required',
  'auth.second_factor.code_sent',
  'auth.second_factor.succeeded',
  'auth.second_factor.failed',
  'auth.session.started',
  'auth.session.refreshed',
  'auth.session.ended',
  'auth.session.refresh_reused',
  'auth.password_reset.requested',
  'auth.password_reset.refused',
  'auth.password_reset.blocked',
  'auth.password_reset.completed',
  'auth.account.unlocked',
  'auth.operator.created',
  'auth.tenant.created',
  'auth.user.created',
  'auth.user.updated',
  'auth.user.user_id_changed',
  'auth.user.login_disabled',
  'auth.user.login_enabled',
  'auth.user.notification_email_set',
  'auth.user.email_deliverable',
  /** NOTIF-6: a hard bounce marked the user's e-mail address undeliverable (reasons: `bounce`). */
  'auth.user.email_undeliverable',
  'auth.member.added',
  'auth.login.denied_risk',
  'auth.login.risk_assessed',
  'auth.login.initial_password_failed',
  'auth.step_up.required',
  'auth.step_up.succeeded',
  'auth.trusted_browser.added',
  'auth.trusted_browser.revoked',
  'auth.tenant.security_policy_updated',
  'auth.totp.enrolment_started',
  'auth.totp.enabled',
  'auth.totp.disabled',
  'auth.totp.replay_refused',
  'auth.passkey.registered',
  'auth.passkey.renamed',
  'auth.passkey.deleted',
  'auth.push.approver_registered',
  'auth.push.approver_removed',
  'auth.push.requested',
  'auth.push.approved',
  'auth.push.denied',
  'auth.password.changed',
  'auth.profile.updated',
  'auth.mfa.sms_disabled',
  'auth.mfa.reset',
  'auth.mfa.reset_refused',
  /** NOTIF-7: a code, reset mail or approval request was not sent because a send cap was reached. */
  'auth.send_cap.reached',
  'notification.message.sent',
  'notification.message.failed',
  'notification.message.expired',
  /**
   * NOTIF-5: the provider's receipt says the message arrived (also after an `outcome_unknown`
   * failure). target: the message; reasons: `channel:…`, `template:…`; actor: the user it is for.
   */
  'notification.message.delivered',
  /**
   * NOTIF-5/NOTIF-6: a bounce or complaint for a message (target: the message; actor: the user it was for).
   * reasons: `channel:`, `template:`, `bounce:hard|soft|complaint`, `kind:` (no_such_mailbox,
   * mailbox_full, …), `status:` (RFC 3463 code or SMTP reply code), `source:smtp|imap|webhook`, and
   * `soft_for_days` when soft bounces turned hard. Never the address.
   */
  'notification.message.bounced',
  /**
   * NOTIF-5: never sent, because a send cap or an undeliverable mark stopped it. target, actor and
   * reasons as `delivered`, plus the detail code (e.g. `email_unavailable`).
   */
  'notification.message.suppressed',
  'case-management.service.created',
  'case-management.contract.created',
  'case-management.contract.updated',
  'case-management.category.created',
  'case-management.category.updated',
  'case-management.case.created',
  'case-management.case.status_changed',
  'case-management.case.commented',
  'case-management.case_filter.saved',
  'case-management.case_filter.deleted',
  /** CASE-9: an operator created or revoked an integration's API key. */
  'case-management.integration.created',
  'case-management.integration.revoked',
  /** CASE-9: an alert opened or updated a case (reasons: created, updated, case_closed), or was refused. */
  'case-management.alert.received',
  /** CASE-6: an attachment was added to a case, or downloaded (target: the case; reasons: the attachment). */
  'case-management.case.attachment_added',
  'case-management.case.attachment_downloaded',
  'case-management.knowledge_base.created',
  'case-management.knowledge_category.created',
  'case-management.knowledge_article.created',
  'case-management.knowledge_article.updated',
  'case-management.knowledge_article.deleted',
  'case-management.announcement.created',
  'case-management.announcement.updated',
  'case-management.announcement.deleted',
  'case-management.announcement.dismissed',
  'case-management.portal_links.updated',
  /**
   * CASE-7 work requests. item created/updated — actor: the operator; target: work_request_item (id);
   * reasons: `code:<item code>`. submitted — actor: the customer and tenant; target: work_request (id);
   * reasons: `item:<item code>`. attachment_added / attachment_downloaded — target: the work request;
   * reasons: the attachment id (added: also its size and type). accepted — actor: the operator; target: the work request; reasons:
   * `case:<case number>`. rejected — actor: the operator; target: the work request (the reason text is
   * the customer's to read, not the audit trail's). Every fact names the request's tenant.
   */
  'case-management.work_request_item.created',
  'case-management.work_request_item.updated',
  'case-management.work_request.submitted',
  'case-management.work_request.attachment_added',
  'case-management.work_request.attachment_downloaded',
  'case-management.work_request.accepted',
  'case-management.work_request.rejected',
  /**
   * CASE-10: an operator added a file to an article (target: the article number; reasons:
   * `attachment:<id>`, `role:attachment|document`, `size:<bytes>`, `type:<media type>`), or a reader
   * downloaded one (target: the article number; reasons: `attachment:<id>`; actor's tenant for customers).
   */
  'case-management.knowledge_article.file_added',
  'case-management.knowledge_article.file_downloaded',
  /**
   * CASE-11: an announcement's e-mail to its audience was queued (target: the announcement id;
   * reasons: `recipients:<count>`), or could not be (outcome failure; reasons: `queued:<count>`).
   */
  'case-management.announcement.mail_queued',
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

export const AUDIT_OUTCOMES = ['success', 'failure', 'denied', 'info'] as const;
export type AuditOutcome = (typeof AUDIT_OUTCOMES)[number];

/** Who did it, as far as it is known. */
export interface AuditActor {
  /**
   * Internal user id (uuid); never a password, code or token.
   * @format uuid
   */
  userId?: string;
  /** Customer number of the tenant the actor acted in. */
  tenant?: string;
  /** Client address as the gateway saw it. */
  ip?: string;
  userAgent?: string;
}

/** One fact of the audit trail, as published on `audit.<type>` (AUDIT-1, AUDIT-2). */
export interface AuditEvent {
  /**
   * Unique per fact, and the JetStream message id (`Nats-Msg-Id`): the key to de-duplicate on.
   * @format uuid
   */
  id: string;
  type: AuditEventType;
  /**
   * When it happened (ISO 8601, UTC).
   * @format date-time
   */
  occurredAt: string;
  actor: AuditActor;
  /** What it was done to, e.g. `{type: "user", id}` or `{type: "case", id}`. */
  target?: { type: string; id: string };
  /** `success`, `failure`, `denied` (refused by a rule) or `info` (a fact with no outcome). */
  outcome: AuditOutcome;
  /** Codes that explain the outcome (never free text with personal data). */
  reasons?: string[];
  /** The request id of the call that caused it (header `X-Request-Id`), shared by its facts. */
  correlationId: string;
  /** The tenants the fact belongs to, whose admins see it: set by its type's scope (AUDIT_EVENT_SCOPES). */
  tenants?: string[];
}

export const AUDIT_STREAM = 'AUDIT';
export const AUDIT_SUBJECT_PREFIX = 'audit';

export function auditSubject(type: AuditEventType): string {
  return `${AUDIT_SUBJECT_PREFIX}.${type}`;
}

export interface AuditRecordView extends AuditEvent {
  seq: number;
  hash: string;
}
