import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { createPublicKey, KeyObject } from 'node:crypto';
import {
  ACCESS_TOKEN_ALGORITHM,
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_ISSUER,
  ACCESS_TOKEN_TYPE,
  AccessTokenClaims,
  DomainError,
  ErrorCode,
  JsonWebKeySet,
} from '@app/contracts';
import { AppLogger, InjectLogger } from '@app/observability';
import { isAccessTokenClaims } from './access-token-claims.util';
import { JwksSource } from './jwks.source';

/** Keys are fetched again after this long, so a key that auth stopped publishing stops working. */
const KEYS_MAX_AGE_MS = 5 * 60_000;
/**
 * An unknown `kid` fetches the keys again (auth has just started signing with a new key), but at
 * most this often: a flood of made-up kids must not become a flood of requests to auth.
 */
const UNKNOWN_KID_REFRESH_MS = 1_000;
/** A JWT is three base64url parts; anything far longer is not one of ours. */
const MAX_TOKEN_LENGTH = 4096;

interface Header {
  alg?: unknown;
  typ?: unknown;
  kid?: unknown;
}

/**
 * Verifies an access token as every Mamori process must before acting for a user: signature by one of
 * auth's published keys (ES256 only, so a token cannot choose `none` or an HMAC keyed with the public
 * key), `typ`, `iss`, `aud`, `exp`, and the shape of the claims. The keys are cached, fetched again
 * after KEYS_MAX_AGE_MS and at once (rate-limited) when a token names a kid not yet seen. Anything
 * wrong is `unauthorized`; keys that cannot be fetched at all are `service_unavailable`.
 */
@Injectable()
export class AccessTokenVerifier {
  private readonly logger: AppLogger;
  private readonly jwt = new JwtService();
  /** kid → public key, parsed once per fetch rather than once per token */
  private keys = new Map<string, KeyObject>();
  private fetchedAt = -Infinity;
  private fetching?: Promise<void>;

  constructor(
    private readonly source: JwksSource,
    @InjectLogger() logger: AppLogger,
  ) {
    this.logger = logger.child({ component: AccessTokenVerifier.name });
  }

  /** `now` is the time the token's expiry is checked against (the system clock unless a test says). */
  async verify(token: unknown, now: Date = new Date()): Promise<AccessTokenClaims> {
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH) {
      throw new DomainError(ErrorCode.Unauthorized);
    }
    const header = this.headerOf(token);
    if (
      !header ||
      header.alg !== ACCESS_TOKEN_ALGORITHM ||
      header.typ !== ACCESS_TOKEN_TYPE ||
      typeof header.kid !== 'string'
    ) {
      throw new DomainError(ErrorCode.Unauthorized);
    }
    const key = await this.keyFor(header.kid);
    let claims: unknown;
    try {
      claims = this.jwt.verify(token, {
        // jsonwebtoken verifies with a KeyObject as it is; @nestjs/jwt's type only names string | Buffer,
        // which would have the key parsed from PEM again on every call.
        publicKey: key as unknown as string,
        algorithms: [ACCESS_TOKEN_ALGORITHM],
        issuer: ACCESS_TOKEN_ISSUER,
        audience: ACCESS_TOKEN_AUDIENCE,
        clockTimestamp: Math.floor(now.getTime() / 1000),
      });
    } catch {
      // Bad signature, expired, wrong issuer or audience: the caller only learns to log in again.
      throw new DomainError(ErrorCode.Unauthorized);
    }
    if (!isAccessTokenClaims(claims)) {
      throw new DomainError(ErrorCode.Unauthorized);
    }
    return claims;
  }

  private headerOf(token: string): Header | undefined {
    try {
      const decoded = this.jwt.decode<{ header?: Header } | null>(token, { complete: true });
      return decoded?.header;
    } catch {
      return undefined;
    }
  }

  private async keyFor(kid: string): Promise<KeyObject> {
    const stale = Date.now() - this.fetchedAt > KEYS_MAX_AGE_MS;
    const unknown = !this.keys.has(kid) && Date.now() - this.fetchedAt > UNKNOWN_KID_REFRESH_MS;
    if (stale || unknown) {
      await this.refresh();
    }
    const key = this.keys.get(kid);
    if (!key) {
      throw new DomainError(this.keys.size === 0 ? ErrorCode.ServiceUnavailable : ErrorCode.Unauthorized);
    }
    return key;
  }

  /** One fetch at a time; a failed fetch keeps the keys already known (auth may be restarting). */
  private refresh(): Promise<void> {
    this.fetching ??= this.source
      .fetch()
      .then((set) => {
        this.keys = keysOf(set);
        this.fetchedAt = Date.now();
      })
      .catch((error: unknown) => {
        this.logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'cannot fetch the access token keys',
        );
      })
      .finally(() => {
        this.fetching = undefined;
      });
    return this.fetching;
  }
}

function keysOf(set: JsonWebKeySet): Map<string, KeyObject> {
  const keys = new Map<string, KeyObject>();
  for (const jwk of set?.keys ?? []) {
    if (jwk?.kty !== 'EC' || jwk.crv !== 'P-256' || typeof jwk.kid !== 'string') {
      continue;
    }
    try {
      const key = createPublicKey({ key: { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, format: 'jwk' });
      keys.set(jwk.kid, key);
    } catch {
      // A malformed entry is skipped; the others still verify.
    }
  }
  return keys;
}
