/** Transports a browser may report (WebAuthn L3 AuthenticatorTransport). */
const KNOWN_TRANSPORTS = new Set(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb']);

/**
 * The transports of a new passkey as we store them: only known names, each once. The browser's list
 * is a hint we hand back in later options, so anything else in it is dropped rather than trusted.
 */
export function authenticatorTransports(value: unknown): string[] {
  if (!Array.isArray(value)) {
    return [];
  }
  return [...new Set(value.filter((t): t is string => typeof t === 'string' && KNOWN_TRANSPORTS.has(t)))];
}

/**
 * The WebAuthn user handle of a user: the 16 bytes of the internal uuid. Never the login ID or
 * e-mail, which would then be stored on every authenticator and told to every site that asks.
 */
export function userHandleFor(userId: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(Buffer.from(userId.replace(/-/g, ''), 'hex'));
}

/** `userHandleFor` as the browser sends it back (base64url). */
export function encodedUserHandleFor(userId: string): string {
  return Buffer.from(userHandleFor(userId)).toString('base64url');
}

/**
 * The challenge a registration answer claims to answer, read from its clientDataJSON, so the stored
 * challenge can be taken before the verifier runs; null when the answer is not even shaped like one.
 * The verifier still compares it, and everything else, itself.
 */
export function claimedChallenge(response: unknown): string | null {
  const clientDataJSON = (response as { clientDataJSON?: unknown } | null)?.clientDataJSON;
  if (typeof clientDataJSON !== 'string') {
    return null;
  }
  try {
    const clientData: unknown = JSON.parse(Buffer.from(clientDataJSON, 'base64url').toString('utf8'));
    const challenge = (clientData as { challenge?: unknown } | null)?.challenge;
    return typeof challenge === 'string' && challenge.length > 0 && challenge.length <= 512
      ? challenge
      : null;
  } catch {
    return null;
  }
}

/**
 * A reason code for the audit trail from the WebAuthn verifier's error, whose message is free text
 * meant for developers (it may quote what the client sent, so it is never written anywhere itself).
 */
export function passkeyFailureReason(error: unknown): string {
  // Quoted parts are values from the request (an origin, a type): only the verifier's words count.
  const message = error instanceof Error ? error.message.replace(/"[^"]*"/g, '').toLowerCase() : '';
  const reasons: [string, string[]][] = [
    ['counter', ['counter']],
    ['origin', ['origin']],
    ['rp_id', ['rp id']],
    ['user_verification', ['user verification', 'user presence', 'not present']],
    ['challenge', ['challenge']],
    ['type', ['type']],
  ];
  return reasons.find(([, words]) => words.some((w) => message.includes(w)))?.[0] ?? 'malformed';
}
