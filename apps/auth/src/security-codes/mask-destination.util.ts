/**
 * Destinations are shown masked (API.md: `+81******5678`, `a***@example.com`): enough for the user to
 * recognise their own phone or mailbox, too little to learn someone else's from a login screen.
 */
export function maskPhone(phone: string): string {
  if (phone.length <= 7) {
    return `${phone.slice(0, 1)}${'*'.repeat(Math.max(phone.length - 1, 0))}`;
  }
  return `${phone.slice(0, 3)}${'*'.repeat(phone.length - 7)}${phone.slice(-4)}`;
}

export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at <= 0) {
    return '***';
  }
  return `${email.slice(0, 1)}***${email.slice(at)}`;
}
