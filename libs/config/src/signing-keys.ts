import { createPrivateKey, createPublicKey, JsonWebKey, KeyObject } from 'node:crypto';

/** An access token signing key of auth: the private key and the public JWK it publishes. */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  /** The public half as published in the JWK Set (no `d`). */
  publicJwk: { kty: 'EC'; crv: 'P-256'; x: string; y: string; kid: string; alg: 'ES256'; use: 'sig' };
}

/** Two keys during a rotation, a third for a rotation started before the last one ended. */
const MAX_KEYS = 3;
const KID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Parses ACCESS_TOKEN_SIGNING_KEYS: a JSON array of private EC P-256 JWKs (or a JWK Set
 * `{"keys": [...]}`), each with its own `kid`. The first key signs; every key is published, so
 * tokens signed by an older key stay valid while it is listed (rotation without downtime). Throws an
 * Error whose message says what is wrong and never contains key material.
 */
export function parseSigningKeys(raw: string): SigningKey[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    throw new Error('it must be JSON: an array of private EC P-256 JWKs, each with a kid');
  }
  const list: unknown = Array.isArray(parsed) ? parsed : (parsed as { keys?: unknown } | null)?.keys;
  if (!Array.isArray(list) || list.length === 0) {
    throw new Error('it must hold at least one private EC P-256 JWK');
  }
  if (list.length > MAX_KEYS) {
    throw new Error(`it may hold at most ${MAX_KEYS} keys (the signing key and the ones being retired)`);
  }
  const keys = list.map((jwk: unknown, index) => parseOne(jwk, index));
  if (new Set(keys.map((k) => k.kid)).size !== keys.length) {
    throw new Error('every key needs a kid of its own');
  }
  return keys;
}

function parseOne(value: unknown, index: number): SigningKey {
  const jwk = value as JsonWebKey & { kid?: unknown };
  if (typeof jwk !== 'object' || jwk === null || jwk.kty !== 'EC' || jwk.crv !== 'P-256') {
    throw new Error(`key ${index + 1} must be an EC P-256 JWK (ES256)`);
  }
  if (typeof jwk.kid !== 'string' || !KID.test(jwk.kid)) {
    throw new Error(`key ${index + 1} needs a kid of 1–64 letters, digits, '.', '_' or '-'`);
  }
  if (typeof jwk.d !== 'string') {
    throw new Error(`key ${index + 1} (kid ${jwk.kid}) must be a private key (it has no "d")`);
  }
  let privateKey: KeyObject;
  try {
    privateKey = createPrivateKey({ key: jwk, format: 'jwk' });
  } catch {
    throw new Error(`key ${index + 1} (kid ${jwk.kid}) is not a valid EC P-256 private key`);
  }
  const pub = createPublicKey(privateKey).export({ format: 'jwk' });
  return {
    kid: jwk.kid,
    privateKey,
    publicJwk: { kty: 'EC', crv: 'P-256', x: pub.x!, y: pub.y!, kid: jwk.kid, alg: 'ES256', use: 'sig' },
  };
}
