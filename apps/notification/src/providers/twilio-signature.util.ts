import { createHmac, timingSafeEqual } from 'node:crypto';

export type FormParams = Record<string, string | string[]>;

/**
 * Twilio's request signature (`X-Twilio-Signature`): base64 of HMAC-SHA1, keyed with the account's
 * auth token, over the full URL Twilio posted to followed by each POST parameter's name and value,
 * sorted by name (a repeated name: each value, sorted).
 */
export function twilioSignature(authToken: string, url: string, params: FormParams): string {
  let data = url;
  for (const name of Object.keys(params).sort()) {
    const value = params[name];
    for (const v of Array.isArray(value) ? [...value].sort() : [value]) {
      data += name + v;
    }
  }
  return createHmac('sha1', authToken).update(data, 'utf8').digest('base64');
}

/** Compares in constant time, so the answer's timing tells nothing of how much of a guess matched. */
export function twilioSignatureValid(
  authToken: string,
  url: string,
  params: FormParams,
  signature: string,
): boolean {
  const expected = Buffer.from(twilioSignature(authToken, url, params), 'utf8');
  const given = Buffer.from(signature, 'utf8');
  // Unequal lengths cannot match; comparing the expected value with itself keeps the time the same.
  return (
    timingSafeEqual(expected, given.length === expected.length ? given : expected) &&
    given.length === expected.length
  );
}
