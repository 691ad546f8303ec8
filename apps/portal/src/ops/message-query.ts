import { MESSAGE_STATUSES, type MessageStatus } from './types';

/** The message status view's filter form, as typed. */
export interface MessageFilters {
  recipient: string;
  type: string;
  status: MessageStatus | '';
  /** `datetime-local` values, in the operator's time zone. */
  from: string;
  to: string;
}

export const NO_MESSAGE_FILTERS: MessageFilters = { recipient: '', type: '', status: '', from: '', to: '' };

export type MessageQuery = Partial<Record<'recipient' | 'type' | 'status' | 'from' | 'to', string>>;

const PHONE_LIKE = /^[+0-9][0-9 ()-]*$/;

/**
 * A recipient as the API matches it (by the keyed hash of the exact address): an e-mail address in
 * lower case; a phone number typed the Japanese way (090-1234-5678) in E.164 (+819012345678).
 */
export function normaliseRecipient(value: string): string {
  const text = value.trim();
  if (text.includes('@')) {
    return text.toLowerCase();
  }
  if (PHONE_LIKE.test(text)) {
    const digits = text.replace(/[^0-9+]/g, '');
    if (digits.startsWith('+')) {
      return digits;
    }
    if (/^0[1-9]/.test(digits)) {
      return `+81${digits.slice(1)}`;
    }
    return digits;
  }
  return text;
}

/** A local date and time from the form as an ISO instant; undefined when empty or not a time. */
function instant(local: string): string | undefined {
  if (!local) {
    return undefined;
  }
  const time = new Date(local);
  return Number.isNaN(time.getTime()) ? undefined : time.toISOString();
}

/** The form as `GET /ops/messages` query parameters: empty fields left out, values normalised. */
export function messageQuery(filters: MessageFilters): MessageQuery {
  const query: MessageQuery = {};
  const recipient = normaliseRecipient(filters.recipient);
  if (recipient) {
    query.recipient = recipient;
  }
  const type = filters.type.trim().toLowerCase();
  if (type) {
    query.type = type;
  }
  if (filters.status && (MESSAGE_STATUSES as readonly string[]).includes(filters.status)) {
    query.status = filters.status;
  }
  const from = instant(filters.from);
  if (from) {
    query.from = from;
  }
  const to = instant(filters.to);
  if (to) {
    query.to = to;
  }
  return query;
}

/** Whether the form's time range is usable: `from` before `to` when both are given. */
export function rangeIsValid(filters: Pick<MessageFilters, 'from' | 'to'>): boolean {
  const from = instant(filters.from);
  const to = instant(filters.to);
  return !from || !to || from < to;
}

/** The message types the notification service sends (NOTIF-3), for the type filter's suggestions. */
export const MESSAGE_TYPES = [
  'security-code',
  'password-reset-link',
  'password-reset-refused',
  'password-reset-completed',
  'password-changed',
  'sms-disabled',
  'mfa-reset',
  'mfa-changed',
  'contact-changed',
  'account-locked',
  'case-update',
  'work-request-received',
  'work-request-accepted',
  'work-request-rejected',
  'announcement',
] as const;
