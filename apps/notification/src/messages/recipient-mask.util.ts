/**
 * How operators see a recipient (NOTIF-5, `GET /ops/messages`): enough to tell a user "the code went
 * to ta***@example.com" or "+81 90-****-5678", never enough to write to them. Made once at enqueue;
 * the address itself is never stored.
 */
export function maskRecipient(recipient: string): string {
  const trimmed = recipient.trim();
  return trimmed.includes('@') ? maskEmail(trimmed) : maskPhone(trimmed);
}

export function maskRecipients(recipients: string[]): string {
  return recipients.map(maskRecipient).join(', ');
}

function maskEmail(address: string): string {
  const at = address.lastIndexOf('@');
  const local = address.slice(0, at);
  const domain = address.slice(at + 1).toLowerCase();
  // Two characters of a long local part, one of a short one: `a***` says little about `ab`.
  const shown = local.length > 4 ? local.slice(0, 2) : local.slice(0, 1);
  return `${shown}***@${domain}`;
}

function maskPhone(number: string): string {
  const digits = number.replace(/\D/g, '');
  if (digits.length < 8) {
    return '****';
  }
  const last = digits.slice(-4);
  if (number.startsWith('+81')) {
    // A Japanese mobile number: the carrier prefix (90, 80, 70) helps support and says nothing more.
    return `+81 ${digits.slice(2, 4)}-****-${last}`;
  }
  return `${number.startsWith('+') ? '+' : ''}${digits.slice(0, 2)} ****-${last}`;
}
