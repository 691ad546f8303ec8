/**
 * Facts written to the audit trail (AUDIT-1, AUDIT-2). The event type names its service first; the
 * JetStream subject is `audit.<type>`, i.e. `audit.<service>.<event-type>`. Each type's comment says
 * what happened and what its fields carry (see AuditEvent): the target, the reasons, and the
 * outcome where it is not the obvious one. The actor is whoever acted (for notification facts, the
 * user the message is for); no fact carries a password, code, token, message body or comment text.
 */
export const AUDIT_EVENT_TYPES = [
  /** password (and second factor) accepted; target: login_flow; actor: the user. */
  'auth.login.succeeded',
  /** wrong or missing password, unknown user or failed passkey; reasons: why (unknown_user, wrong_password, no_password, passkey …). */
  'auth.login.failed',
  /** this failure locked the account; reasons: password_failures or code_failures and the lock reasons. */
  'auth.login.locked_out',
  /** a login on a locked account; reasons: account_locked and the entry point. */
  'auth.login.refused_locked',
  /** a login on an account an admin disabled; reasons: login_disabled. */
  'auth.login.refused_disabled',
  /** password accepted, a second factor asked for; target: login_flow. */
  'auth.login.second_factor_required',
  /** a one-time code sent; target: login_flow; reasons: the channel (email, sms). */
  'auth.second_factor.code_sent',
  /** second factor accepted; reasons: the method. */
  'auth.second_factor.succeeded',
  /** second factor refused; target: login_flow; reasons: the method, attempts_exhausted when it was the last. */
  'auth.second_factor.failed',
  /** a session opened; target: session; reasons: password or second_factor. */
  'auth.session.started',
  /** a session token renewed; target: session; reasons: tenant_selected or grace_replay when not routine. */
  'auth.session.refreshed',
  /** a session ended; target: session; reasons: why (logout, revoked, expired, login_disabled …). */
  'auth.session.ended',
  /** a used refresh token presented again, the session revoked; target: session. */
  'auth.session.refresh_reused',
  /** a reset mail asked for (whether or not the account exists). */
  'auth.password_reset.requested',
  /** a reset refused; reasons: mismatch, blocked. */
  'auth.password_reset.refused',
  /** resets blocked after repeated mismatches; reasons: too_many_mismatches. */
  'auth.password_reset.blocked',
  /** a password set through a reset; target: user. */
  'auth.password_reset.completed',
  /** a locked account unlocked by an admin; target: user; reasons: admin_unlock. */
  'auth.account.unlocked',
  /** a Mamori operator created; target: user. */
  'auth.operator.created',
  /** a tenant created; target: tenant (its number). */
  'auth.tenant.created',
  /** a user created by an admin; target: user; reasons: representative_admin when the tenant's first. */
  'auth.user.created',
  /** an admin changed a user's profile; target: user; reasons: the fields changed (names, never values). */
  'auth.user.updated',
  /** an admin changed a user's login id; target: user; reasons: admin_change. */
  'auth.user.user_id_changed',
  /** an admin disabled a user's login (sessions revoked); target: user. */
  'auth.user.login_disabled',
  /** an admin enabled a user's login again; target: user. */
  'auth.user.login_enabled',
  /** an admin set a user's notification address; target: user. */
  'auth.user.notification_email_set',
  /** an admin cleared a bounced address as deliverable; target: user; reasons: admin_cleared. */
  'auth.user.email_deliverable',
  /** NOTIF-6: a hard bounce marked the user's e-mail address undeliverable (reasons: `bounce`). */
  'auth.user.email_undeliverable',
  /** a user added to a tenant; target: user; reasons: tenant_admin or tenant_user. */
  'auth.member.added',
  /** a login denied by the risk assessment; reasons: the risk signals. */
  'auth.login.denied_risk',
  /** a login's risk assessed; target: user; outcome: info or denied; reasons: the signals. */
  'auth.login.risk_assessed',
  /** a wrong initial password; target: login_flow; reasons: wrong_initial_password. */
  'auth.login.initial_password_failed',
  /** a sensitive action asked for a fresh factor; target: login_flow; reasons: the action. */
  'auth.step_up.required',
  /** a step-up passed; reasons: the method. */
  'auth.step_up.succeeded',
  /** a browser remembered for second factors; target: trusted_browser. */
  'auth.trusted_browser.added',
  /** a remembered browser revoked; target: trusted_browser. */
  'auth.trusted_browser.revoked',
  /** a tenant's security policy changed; target: tenant; reasons: the settings changed. */
  'auth.tenant.security_policy_updated',
  /** an authenticator app enrolment begun; target: user. */
  'auth.totp.enrolment_started',
  /** an authenticator app confirmed; target: user. */
  'auth.totp.enabled',
  /** an authenticator app removed; target: user; reasons: enabled or pending. */
  'auth.totp.disabled',
  /** a TOTP code used twice refused; target: login_flow; reasons: totp_step_used. */
  'auth.totp.replay_refused',
  /** a passkey registered; target: passkey. */
  'auth.passkey.registered',
  /** a passkey renamed; target: passkey. */
  'auth.passkey.renamed',
  /** a passkey deleted; target: passkey. */
  'auth.passkey.deleted',
  /** a push approval device registered; target: push_approver. */
  'auth.push.approver_registered',
  /** a push approval device removed; target: push_approver. */
  'auth.push.approver_removed',
  /** a push approval sent; target: login_flow; reasons: the purpose. */
  'auth.push.requested',
  /** a push approval accepted; target: login_flow; reasons: number_matched. */
  'auth.push.approved',
  /** a push approval denied; target: login_flow; reasons: denied_by_user or number_mismatch. */
  'auth.push.denied',
  /** a user changed their password; target: user. */
  'auth.password.changed',
  /** a user changed their own profile; target: user; reasons: the fields changed. */
  'auth.profile.updated',
  /** SMS codes turned off for a user; target: user; reasons: why. */
  'auth.mfa.sms_disabled',
  /** an operator reset a user's factors; target: user; reasons: the case reference. */
  'auth.mfa.reset',
  /** a factor reset refused; target: user; reasons: what did not match, the case reference. */
  'auth.mfa.reset_refused',
  /** NOTIF-7: a code, reset mail or approval request was not sent because a send cap was reached. */
  'auth.send_cap.reached',
  /** a message handed to its provider; target: notification.message; reasons: channel:…, template:… (never recipient or body). */
  'notification.message.sent',
  /** a message failed for good; target: notification.message; reasons: channel:…, template:…, the failure reason. */
  'notification.message.failed',
  /** a message not sent before its deadline; target: notification.message; reasons: channel:…, template:…. */
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
  /** a service created; target: service (its code). */
  'case-management.service.created',
  /** a contract created; target: contract. */
  'case-management.contract.created',
  /** a contract changed; target: contract. */
  'case-management.contract.updated',
  /** a case category created; target: category (its code). */
  'case-management.category.created',
  /** a case category changed; target: category. */
  'case-management.category.updated',
  /** a case opened; target: case (its number); reasons: integration when an alert opened it. */
  'case-management.case.created',
  /** a case moved; target: case; reasons: "<from>-><to>" and the reason given. */
  'case-management.case.status_changed',
  /** a comment added to a case; target: case (never the comment text). */
  'case-management.case.commented',
  /** a saved case filter created or changed; target: case_filter. */
  'case-management.case_filter.saved',
  /** a saved case filter deleted; target: case_filter. */
  'case-management.case_filter.deleted',
  /** CASE-9: an operator created an integration's API key; target: integration. */
  'case-management.integration.created',
  /** CASE-9: an operator revoked an integration's API key; target: integration. */
  'case-management.integration.revoked',
  /** CASE-9: an alert opened or updated a case (reasons: created, updated, case_closed), or was refused. */
  'case-management.alert.received',
  /** CASE-6: an attachment uploaded to a case; target: case; reasons: attachment:<id>, size:<bytes>, type:<content type>. */
  'case-management.case.attachment_added',
  /** CASE-6: a case attachment downloaded; target: case; reasons: attachment:<id>. */
  'case-management.case.attachment_downloaded',
  /** a knowledge base created; target: knowledge_base. */
  'case-management.knowledge_base.created',
  /** a knowledge category created; target: knowledge_category. */
  'case-management.knowledge_category.created',
  /** an article created; target: knowledge_article (its number). */
  'case-management.knowledge_article.created',
  /** an article changed; target: knowledge_article. */
  'case-management.knowledge_article.updated',
  /** an article deleted; target: knowledge_article. */
  'case-management.knowledge_article.deleted',
  /** an announcement created; target: announcement. */
  'case-management.announcement.created',
  /** an announcement changed; target: announcement. */
  'case-management.announcement.updated',
  /** an announcement deleted; target: announcement. */
  'case-management.announcement.deleted',
  /** a user dismissed an announcement; target: announcement. */
  'case-management.announcement.dismissed',
  /** a tenant's portal links changed; target: tenant. */
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
