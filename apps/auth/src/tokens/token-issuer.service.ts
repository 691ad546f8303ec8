import { Inject, Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { APP_CONFIG, AuthEnv, Clock, parseSigningKeys, SigningKey } from '@app/config';
import {
  ACCESS_TOKEN_ALGORITHM,
  ACCESS_TOKEN_AUDIENCE,
  ACCESS_TOKEN_ISSUER,
  ACCESS_TOKEN_TYPE,
  AccessTokenClaims,
} from '@app/contracts';
import { SecretHasher } from '../crypto/secret-hasher';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** HMAC context of refresh tokens, so a refresh token's HMAC can never equal another secret's. */
const REFRESH_CONTEXT = 'refresh-token';

export interface IssuedRefreshToken {
  token: string;
  hmac: string;
}

/**
 * Access tokens (JWT ES256, short-lived, verified by the gateway and by every service against auth's
 * published keys) and refresh tokens (random, kept only as HMAC). Times come from the injected clock
 * so expiry is testable without sleeping.
 */
@Injectable()
export class TokenIssuer {
  /** The newest key, first in ACCESS_TOKEN_SIGNING_KEYS; the others are only published. */
  private readonly signingKey: SigningKey;

  constructor(
    private readonly jwt: JwtService,
    private readonly hasher: SecretHasher,
    private readonly clock: Clock,
    @Inject(APP_CONFIG) private readonly config: AuthEnv,
  ) {
    this.signingKey = parseSigningKeys(config.ACCESS_TOKEN_SIGNING_KEYS)[0];
  }

  get accessTokenTtlSeconds(): number {
    return this.config.ACCESS_TOKEN_TTL_SECONDS;
  }

  /**
   * Signs an access token that lives ACCESS_TOKEN_TTL_SECONDS, but never past `notAfter` (the
   * session's absolute end, AUTH-15): a token issued near the end of a session dies with it.
   * Returns the token and its lifetime in seconds.
   */
  accessToken(claims: AccessTokenClaims, notAfter?: Date): { token: string; expiresIn: number } {
    const now = this.clock.now().getTime();
    const iat = Math.floor(now / 1000);
    const untilEnd = notAfter ? Math.floor((notAfter.getTime() - now) / 1000) : Infinity;
    const expiresIn = Math.max(1, Math.min(this.config.ACCESS_TOKEN_TTL_SECONDS, untilEnd));
    const token = this.jwt.sign(
      { ...claims, iat, exp: iat + expiresIn },
      {
        privateKey: this.signingKey.privateKey,
        algorithm: ACCESS_TOKEN_ALGORITHM,
        keyid: this.signingKey.kid,
        header: { alg: ACCESS_TOKEN_ALGORITHM, typ: ACCESS_TOKEN_TYPE },
        issuer: ACCESS_TOKEN_ISSUER,
        audience: ACCESS_TOKEN_AUDIENCE,
      },
    );
    return { token, expiresIn };
  }

  /**
   * `<sessionId>.<256 random bits>`: the session id in clear lets a refresh find its session's
   * state in one step; only the random part makes it unguessable, and only its HMAC is stored.
   */
  refreshToken(sessionId: string): IssuedRefreshToken {
    const token = `${sessionId}.${this.hasher.randomToken(32)}`;
    return { token, hmac: this.refreshTokenHmac(token) };
  }

  refreshTokenHmac(token: string): string {
    return this.hasher.hmac(token, REFRESH_CONTEXT);
  }

  /** The session id of a well-formed refresh token, else null (then it cannot be one of ours). */
  sessionIdOf(token: string): string | null {
    const dot = token.indexOf('.');
    if (dot <= 0 || dot === token.length - 1) {
      return null;
    }
    const sessionId = token.slice(0, dot);
    return UUID.test(sessionId) ? sessionId : null;
  }
}
