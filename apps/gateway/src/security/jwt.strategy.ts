import { Inject, Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import type Redis from 'ioredis';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { APP_CONFIG, GatewayEnv } from '@app/config';
import { DomainError, ErrorCode, Principal, revokedSessionKey } from '@app/contracts';
import { GATEWAY_REDIS } from '../redis/gateway-redis';
import { isAccessTokenClaims, principalFromClaims } from './principal-from-claims.util';

export const JWT_STRATEGY = 'jwt';

/**
 * Verifies the access token (HS256 only, so a token cannot pick its own algorithm) and then asks
 * Redis whether its session was revoked: auth marks a session there when it ends, which is how a
 * revoked session's still-unexpired token is refused everywhere at once (AUTH-15, "within 2 s").
 */
@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, JWT_STRATEGY) {
  constructor(
    @Inject(APP_CONFIG) private readonly config: GatewayEnv,
    @Inject(GATEWAY_REDIS) private readonly redis: Redis,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      secretOrKey: config.JWT_SECRET,
      algorithms: ['HS256'],
      ignoreExpiration: false,
    });
  }

  async validate(claims: unknown): Promise<Principal> {
    if (!isAccessTokenClaims(claims)) {
      throw new DomainError(ErrorCode.Unauthorized);
    }
    let revoked: number;
    try {
      revoked = await this.redis.exists(revokedSessionKey(this.config.REDIS_PREFIX, claims.sid));
    } catch {
      // Revocation cannot be checked: refuse rather than accept a possibly ended session.
      throw new DomainError(ErrorCode.ServiceUnavailable);
    }
    if (revoked > 0) {
      throw new DomainError(ErrorCode.SessionEnded);
    }
    return principalFromClaims(claims);
  }
}
