import { Inject, Injectable } from '@nestjs/common';
import type Redis from 'ioredis';
import { APP_CONFIG, GatewayEnv } from '@app/config';
import { DomainError, ErrorCode, Principal, revokedSessionKey } from '@app/contracts';
import { AccessTokenVerifier, principalFromClaims } from '@app/messaging';
import { GATEWAY_REDIS } from '../redis/gateway-redis';

/**
 * Verifies the access token (signature by one of auth's published keys, `typ`, `iss`, `aud`, `exp`)
 * and then asks Redis whether its session was revoked: auth marks a session there when it ends, which
 * is how a revoked session's still-unexpired token is refused everywhere at once (AUTH-15, "within
 * 2 s"). The services behind the gateway verify the same token again themselves.
 */
@Injectable()
export class AccessTokenAuthenticator {
  constructor(
    @Inject(APP_CONFIG) private readonly config: GatewayEnv,
    @Inject(GATEWAY_REDIS) private readonly redis: Redis,
    private readonly tokens: AccessTokenVerifier,
  ) {}

  async authenticate(token: string): Promise<Principal> {
    const claims = await this.tokens.verify(token);
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
