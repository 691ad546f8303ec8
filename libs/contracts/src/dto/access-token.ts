import { Role } from './views';

/**
 * Claims of the access token: a JWT signed by auth with ES256 (a private key only auth holds) and
 * verified by the gateway and again by every service that acts for the user, against the public keys
 * auth publishes (`auth.keys.jwks`, `GET /.well-known/jwks.json`). Short-lived (AUTH-15); revocation of
 * its session is checked by the gateway on every request through Redis.
 */
export interface AccessTokenClaims {
  /** Internal user id (uuid). */
  sub: string;
  /** Session id. */
  sid: string;
  /** Active tenant number, null for operators and before a tenant is picked (AUTH-18). */
  tenant: string | null;
  role: Role;
  /** When this session last completed a second step, seconds since the epoch (AUTH-12). */
  sfa: number | null;
}

/** The one signature algorithm of access tokens: a verifier accepts no other (no `none`, no HMAC). */
export const ACCESS_TOKEN_ALGORITHM = 'ES256';
/** `iss` of every access token: who signed it. */
export const ACCESS_TOKEN_ISSUER = 'mamori-auth';
/** `aud` of every access token: the Mamori services, so a token minted for something else is refused. */
export const ACCESS_TOKEN_AUDIENCE = 'mamori';
/** `typ` header (RFC 9068), so an ID token or another JWT signed by the same key is not taken for one. */
export const ACCESS_TOKEN_TYPE = 'at+jwt';

/** A public key as published in the JWK Set (EC P-256). */
export interface PublicJwk {
  kty: 'EC';
  crv: 'P-256';
  x: string;
  y: string;
  kid: string;
  alg: typeof ACCESS_TOKEN_ALGORITHM;
  use: 'sig';
}

/** The public keys that verify access tokens (RFC 7517 JWK Set). */
export interface JsonWebKeySet {
  keys: PublicJwk[];
}

/**
 * Redis key marking a session as revoked; set by auth when a session ends and read by the gateway on
 * every request, so a revoked session's access token is refused at once (AUTH-15: within 2 seconds).
 */
export function revokedSessionKey(redisPrefix: string, sessionId: string): string {
  return `${redisPrefix}:session:revoked:${sessionId}`;
}
