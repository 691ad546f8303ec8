import { Language } from '../dto/language';

/** BullMQ queues of the notification service (NOTIF-1). */
export enum NotificationQueue {
  Sms = 'notification-sms',
  Email = 'notification-email',
  /**
   * Bulk sends (announcements) have queues of their own, worked under the provider's rate limit
   * (SMTP_MAX_PER_SECOND, SMS_MAX_PER_SECOND): a code never waits behind thousands of them, nor
   * behind the limiter (NOTIF-1).
   */
  SmsBulk = 'notification-sms-bulk',
  EmailBulk = 'notification-email-bulk',
}

export const NOTIFICATION_QUEUES: readonly NotificationQueue[] = Object.values(NotificationQueue);

export type NotificationChannel = 'sms' | 'email';

export function queueForChannel(channel: NotificationChannel, bulk = false): NotificationQueue {
  if (bulk) {
    return channel === 'sms' ? NotificationQueue.SmsBulk : NotificationQueue.EmailBulk;
  }
  return channel === 'sms' ? NotificationQueue.Sms : NotificationQueue.Email;
}

/** The channel a queue carries. */
export function channelOfQueue(queue: NotificationQueue): NotificationChannel {
  return queue === NotificationQueue.Sms || queue === NotificationQueue.SmsBulk ? 'sms' : 'email';
}

/** Parameters of each message template (NOTIF-3). */
export interface TemplateParams {
  'security-code': { code: string; expiresInMinutes: number };
  'password-reset-link': { link: string; expiresAt: string };
  'password-reset-refused': { until: string };
  'password-reset-completed': Record<string, never>;
  /** AUTH-17: the signed-in user changed their password; their other sessions were ended. */
  'password-changed': Record<string, never>;
  /** AUTH-19: SMS codes were switched off automatically. */
  'sms-disabled': { reason: SmsDisabledReason };
  /** AUTH-19: an operator reset the user's MFA under this case (a case number, not personal data). */
  'mfa-reset': { caseNumber: string };
  /** An e-mail address or phone number of the account was changed: told at the OLD one. */
  'contact-changed': { field: ContactField };
  /** CASE-6: a case was opened, the provider replied, or its status changed. */
  'case-update': CaseUpdateParams;
  /** CASE-7: a work request was received; echoes what was submitted. */
  'work-request-received': WorkRequestReceivedParams;
  /** CASE-7: a work request was accepted; the work goes on in the named case. */
  'work-request-accepted': WorkRequestAcceptedParams;
  /** CASE-7: a work request was rejected, with the operator's reason. */
  'work-request-rejected': WorkRequestRejectedParams;
  /** CASE-11: an operator published an announcement and asked to mail it to its audience. */
  announcement: AnnouncementMailParams;
  /** The user added or removed a second factor (AUTH-8 app, passkey): told at the account's address. */
  'mfa-changed': { change: MfaChange };
  /** AUTH-3: wrong passwords or codes locked the user ID until `until` (ISO 8601). */
  'account-locked': { until: string };
}

/** Texts of the work request e-mails are already in the recipient's language. */
export interface WorkRequestReceivedParams {
  /** The catalogue item's number, e.g. WR-001. */
  itemCode: string;
  itemName: string;
  /** ISO instant of the submission. */
  submittedAt: string;
  /** Each field of the item's form in its order, with what was submitted (empty when left out). */
  fields: { label: string; value: string }[];
}

export interface WorkRequestAcceptedParams {
  itemCode: string;
  itemName: string;
  submittedAt: string;
  caseNumber: string;
}

export interface WorkRequestRejectedParams {
  itemCode: string;
  itemName: string;
  submittedAt: string;
  reason: string;
}

/** An announcement as its e-mail tells it (CASE-11); the whole of it is in the portal. */
export interface AnnouncementMailParams {
  /** As the operator wrote it (plain text, at most 200 characters). */
  title: string;
  /** The body's text, plain and shortened. */
  excerpt: string;
  /** The linked knowledge article's number (`KB` + 7 digits), when there is one. */
  article?: string;
  /** The time window it is shown in the portal (ISO 8601). */
  from: string;
  to: string;
}

/** What changed in a user's second factors (`mfa-changed`). */
export const MFA_CHANGES = ['totp_added', 'totp_removed', 'passkey_added', 'passkey_removed'] as const;
export type MfaChange = (typeof MFA_CHANGES)[number];

/** What happened to a case, for its requester and watchers (CASE-6) or the alert recipients (CASE-9). */
export const CASE_UPDATE_EVENTS = ['created', 'operator_reply', 'status_changed'] as const;
export type CaseUpdateEvent = (typeof CASE_UPDATE_EVENTS)[number];

export interface CaseUpdateParams {
  caseNumber: string;
  event: CaseUpdateEvent;
  /** The case's subject as the customer wrote it (plain text, at most 200 characters). */
  subject: string;
  /** The status label after the change, in the recipient's language. */
  status: string;
  /** The reply's text (plain, shortened), for `operator_reply`. */
  excerpt?: string;
}

/** The contacts of an account whose change is announced at the old value. */
export const CONTACT_FIELDS = ['email', 'phone'] as const;
export type ContactField = (typeof CONTACT_FIELDS)[number];

/** Why SMS codes were switched off (AUTH-19): the carrier ended the line, or the phone was removed. */
export const SMS_DISABLED_REASONS = ['line_cancelled', 'phone_removed'] as const;
export type SmsDisabledReason = (typeof SMS_DISABLED_REASONS)[number];

export type TemplateName = keyof TemplateParams;

/** Lower runs first: one-time codes overtake bulk mail (NOTIF-1). */
export const JOB_PRIORITY = { code: 1, transactional: 5, bulk: 10 } as const;

export interface NotificationJobData<T extends TemplateName = TemplateName> {
  /** Also the BullMQ job id: a message is queued and sent at most once per id (NOTIF-4). */
  messageId: string;
  channel: NotificationChannel;
  template: T;
  language: Language;
  /** E-mail addresses or E.164 numbers. */
  to: string[];
  params: TemplateParams[T];
  /** After this instant the message is never sent; the job ends as `expired` (NOTIF-4). */
  expiresAt?: string;
  correlationId: string;
  userId?: string;
  tenants?: string[];
  /**
   * A message that a newer one can supersede (a resent security code): it is sent only while the
   * Redis key `liveMessageKey(prefix, liveSlot)` holds its `messageId`. The producer points the key
   * at each new message of the slot, so an older one still queued or waiting for a retry is refused
   * at send time and never arrives after the newer one.
   */
  liveSlot?: string;
}

/** A job as queued: the job name is the template, so handlers are typed by name. */
export type NotificationJob = {
  [T in TemplateName]: { name: T; data: NotificationJobData<T> };
}[TemplateName];

/** Redis key naming the one message of `slot` that may still be sent (see `liveSlot`). */
export function liveMessageKey(redisPrefix: string, slot: string): string {
  return `${redisPrefix}:notification:live:${slot}`;
}

/**
 * Redis key held while a message of `slot` is with the provider: the slot's next message waits for
 * it, so the two reach the provider in the order they were issued.
 */
export function sendingMessageKey(redisPrefix: string, slot: string): string {
  return `${redisPrefix}:notification:sending:${slot}`;
}
