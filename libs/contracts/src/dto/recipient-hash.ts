import { createHash, createHmac } from 'node:crypto';

/**
 * The only form in which the notification service stores an address or number (no raw personal
 * data in its schema): an HMAC-SHA256 of the normalised recipient keyed with RECIPIENT_HASH_SECRET, so
 * a leaked table cannot be reversed by trying every mobile number (a plain hash of a Japanese mobile
 * number falls in seconds). The same address always gives the same hash, so a bounce (NOTIF-6) can be
 * matched to the messages sent to it, and auth (given the same secret) can tell whether a bounced
 * hash is a user's address. Without a secret (development) it is a plain SHA-256, as rows written
 * before the secret was set are; see `recipientHashes` for matching across that change.
 */
export function recipientHash(recipient: string, secret?: string): string {
  const normalised = normaliseRecipient(recipient);
  return secret
    ? createHmac('sha256', secret).update(normalised).digest('hex')
    : createHash('sha256').update(normalised).digest('hex');
}

/**
 * Every hash a recipient may be stored under: keyed, and the unkeyed one of rows written before
 * RECIPIENT_HASH_SECRET was set (they cannot be rehashed, the recipient is not kept). Lookups match any.
 */
export function recipientHashes(recipient: string, secret?: string): string[] {
  return secret ? [recipientHash(recipient, secret), recipientHash(recipient)] : [recipientHash(recipient)];
}

function normaliseRecipient(recipient: string): string {
  const trimmed = recipient.trim();
  return trimmed.includes('@') ? trimmed.toLowerCase() : trimmed.replace(/[\s()-]/g, '');
}
