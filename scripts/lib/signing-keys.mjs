// Access token signing keys (ES256) as ACCESS_TOKEN_SIGNING_KEYS lists them: private EC P-256 JWKs,
// each with a kid. Plain Node ESM, used by `npm start`, `npm test` and scripts/signing-key.mjs.
import { generateKeyPairSync, randomBytes } from 'node:crypto';

/** A new private key as a JWK; the kid says when it was made, which helps to tell keys apart. */
export function newSigningKeyJwk(now = new Date()) {
  const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  const kid = `${now.toISOString().slice(0, 10)}-${randomBytes(4).toString('hex')}`;
  return { ...jwk, kid };
}

/** ACCESS_TOKEN_SIGNING_KEYS with one new key. */
export function newSigningKeys() {
  return JSON.stringify([newSigningKeyJwk()]);
}
