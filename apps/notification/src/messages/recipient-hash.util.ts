import { createHash } from 'node:crypto';

/**
 * SHA-256 of a normalised recipient, the only form in which an address or number is stored
 * (no raw personal data in the notification schema). The same address always gives the same hash, so
 * a bounce (NOTIF-6) can be matched to the messages sent to it.
 */
export function recipientHash(recipient: string): string {
  const trimmed = recipient.trim();
  const normalised = trimmed.includes('@') ? trimmed.toLowerCase() : trimmed.replace(/[\s()-]/g, '');
  return createHash('sha256').update(normalised).digest('hex');
}
