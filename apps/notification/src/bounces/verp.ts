/**
 * VERP (variable envelope return path): every e-mail's envelope sender is BOUNCE_ADDRESS with the
 * message id after a `+` (`bounces+<messageId>@mamori.example`), so a bounce that quotes nothing of
 * the original still arrives addressed to the message it is about. Message ids are UUIDs or other
 * `[A-Za-z0-9._-]` words, which a local part may carry as they are.
 */
const VERP_SAFE_ID = /^[A-Za-z0-9._-]{1,100}$/;

/** The return path of one message, or the bare bounce address for an id a local part cannot carry. */
export function verpAddress(bounceAddress: string, messageId: string): string {
  const at = bounceAddress.lastIndexOf('@');
  if (at <= 0 || !VERP_SAFE_ID.test(messageId)) {
    return bounceAddress;
  }
  return `${bounceAddress.slice(0, at)}+${messageId}${bounceAddress.slice(at)}`;
}

/** The message id in a VERP return path of `bounceAddress`, or undefined. */
export function messageIdFromVerp(bounceAddress: string, address: string): string | undefined {
  const at = bounceAddress.lastIndexOf('@');
  if (at <= 0) {
    return undefined;
  }
  const local = bounceAddress.slice(0, at).toLowerCase();
  const domain = bounceAddress.slice(at + 1).toLowerCase();
  const match = /^([^@+]+)\+([^@]+)@(.+)$/.exec(address.trim());
  if (!match || match[1].toLowerCase() !== local || match[3].toLowerCase() !== domain) {
    return undefined;
  }
  return VERP_SAFE_ID.test(match[2]) ? match[2] : undefined;
}
