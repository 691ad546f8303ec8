import { JwtService } from '@nestjs/jwt';
import { createPublicKey, generateKeyPairSync, randomUUID } from 'node:crypto';
import { parseSigningKeys, SigningKey } from '@app/config';
import {
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_ISSUER,
  ACCESS_TOKEN_TYPE,
  AccessTokenClaims,
  JsonWebKeySet,
} from '@app/contracts';

/** A new ES256 private key as a JWK with its kid, as ACCESS_TOKEN_SIGNING_KEYS lists them. */
export function newSigningKeyJwk(kid: string = randomUUID()): Record<string, unknown> {
  const jwk = generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' });
  return { ...jwk, kid };
}

/** ACCESS_TOKEN_SIGNING_KEYS for a list of keys (the first signs). */
export function signingKeysEnv(...jwks: Record<string, unknown>[]): string {
  return JSON.stringify(jwks);
}

/** The run's signing keys (`npm test` puts them in ACCESS_TOKEN_SIGNING_KEYS). */
export function runSigningKeys(env: NodeJS.ProcessEnv = process.env): SigningKey[] {
  const raw = env.ACCESS_TOKEN_SIGNING_KEYS;
  if (!raw) {
    throw new Error('ACCESS_TOKEN_SIGNING_KEYS not set: run the tests through `npm test`');
  }
  return parseSigningKeys(raw);
}

/** The JWK Set auth publishes for these keys. */
export function jwksOf(keys: SigningKey[]): JsonWebKeySet {
  return { keys: keys.map((k) => k.publicJwk) };
}

export interface TestTokenOptions {
  /** Default: the run's signing key (the one auth signs with). */
  key?: SigningKey;
  /** Default: the key's own kid. */
  kid?: string;
  issuer?: string;
  audience?: string;
  typ?: string;
  /** Seconds from now; negative for a token that has already expired. Default 900. */
  expiresIn?: number;
}

/**
 * An access token as auth signs it (ES256, kid, typ at+jwt, iss, aud), or, through the options, one
 * that is wrong in exactly one way, to show it refused.
 */
export function signAccessToken(
  claims: Partial<AccessTokenClaims> = {},
  options: TestTokenOptions = {},
): string {
  const key = options.key ?? runSigningKeys()[0];
  const payload: AccessTokenClaims = {
    sub: randomUUID(),
    sid: randomUUID(),
    tenant: 'N202400003',
    role: 'admin',
    sfa: Math.floor(Date.now() / 1000),
    ...claims,
  };
  const iat = Math.floor(Date.now() / 1000);
  return new JwtService().sign(
    { ...payload, iat, exp: iat + (options.expiresIn ?? 900) },
    {
      privateKey: key.privateKey,
      algorithm: 'ES256',
      keyid: options.kid ?? key.kid,
      header: { alg: 'ES256', typ: options.typ ?? ACCESS_TOKEN_TYPE },
      issuer: options.issuer ?? ACCESS_TOKEN_ISSUER,
      audience: options.audience ?? ACCESS_TOKEN_AUDIENCE,
    },
  );
}

/** An unsigned token (`alg: none`) with otherwise perfect claims: must be refused everywhere. */
export function unsignedAccessToken(
  claims: Partial<AccessTokenClaims> = {},
  kid = runSigningKeys()[0].kid,
): string {
  const iat = Math.floor(Date.now() / 1000);
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const payload = {
    sub: randomUUID(),
    sid: randomUUID(),
    tenant: 'N202400003',
    role: 'admin',
    sfa: iat,
    ...claims,
    iat,
    exp: iat + 900,
    iss: ACCESS_TOKEN_ISSUER,
    aud: ACCESS_TOKEN_AUDIENCE,
  };
  return `${part({ alg: 'none', typ: ACCESS_TOKEN_TYPE, kid })}.${part(payload)}.`;
}

/**
 * The claims of a token auth signed in this run, verified as the services verify it (the run's
 * keys, ES256, iss and aud) at `now` (an injected clock's time). Throws when it does not verify.
 */
export function verifyRunAccessToken(
  token: string,
  now: Date = new Date(),
): AccessTokenClaims & { iat: number; exp: number; iss: string; aud: string } {
  const { header } = new JwtService().decode<{ header: { kid?: string } }>(token, { complete: true });
  const key = runSigningKeys().find((k) => k.kid === header.kid);
  if (!key) {
    throw new Error(`no key of this run has kid ${String(header.kid)}`);
  }
  return new JwtService().verify(token, {
    publicKey: createPublicKey(key.privateKey).export({ type: 'spki', format: 'pem' }).toString(),
    algorithms: ['ES256'],
    issuer: ACCESS_TOKEN_ISSUER,
    audience: ACCESS_TOKEN_AUDIENCE,
    clockTimestamp: Math.floor(now.getTime() / 1000),
  });
}
