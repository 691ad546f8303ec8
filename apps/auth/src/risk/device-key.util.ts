/** Longest user agent the risk check looks at; anything longer is noise or an attack on the hash. */
const MAX_USER_AGENT = 512;

/**
 * The device a user agent describes, as the risk check compares them (AUTH-11): browser, engine and
 * platform without their version numbers. Browsers update themselves every few weeks, and an update
 * must not make the user's own laptop a "new device". Null when there is no user agent.
 */
export function deviceKey(userAgent: string | null | undefined): string | null {
  const text = (userAgent ?? '').slice(0, MAX_USER_AGENT).trim();
  if (text === '') {
    return null;
  }
  return text
    .toLowerCase()
    .replace(/\d+(?:[._]\d+)*/g, '#')
    .replace(/\s+/g, ' ');
}
