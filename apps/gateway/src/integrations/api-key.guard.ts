import { timingSafeEqual } from 'node:crypto';
import { CanActivate, ExecutionContext, Inject, Injectable, SetMetadata } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { APP_CONFIG, GatewayEnv } from '@app/config';
import {
  API_KEY_PATTERN,
  apiKeyHash,
  DomainError,
  ErrorCode,
  IntegrationKeyRecord,
  IntegrationScope,
} from '@app/contracts';
import { addressBucket } from '../rate-limit/client-address.util';
import { resolveRateLimits } from '../rate-limit/rate-limits.config';
import { SlidingWindowLimiter } from '../rate-limit/sliding-window.limiter';
import { GatewayRequest } from '../request-context/gateway-request';
import { IntegrationKeyStore } from './integration-key.store';

const REQUIRED_SCOPE = 'mamori:integration-scope';

/** The scope an integration route needs (API.md: `alerts:write`, …). */
export const RequireScope = (scope: IntegrationScope): MethodDecorator & ClassDecorator =>
  SetMetadata(REQUIRED_SCOPE, scope);

/** The request once ApiKeyGuard let it through: the integration whose key it carried. */
export interface IntegrationRequest extends GatewayRequest {
  integration: IntegrationKeyRecord;
}

/**
 * Authenticates an integration by its `X-Api-Key` (routes that are @Public() for access tokens and in
 * the `integration` rate-limit class, which counts per key before this guard runs). The key's prefix
 * finds its record; the SHA-256 of the whole key is compared in constant time, so the answer's
 * timing says nothing about how much of a guessed key was right. An unknown, malformed, wrong or
 * revoked key is the same `401`; a key without the route's scope `403`. The tenants the integration
 * may act for come from this record only, never from what the caller wrote.
 *
 * The per-key rate limit cannot slow a caller who makes up a new key for every call, and a key the
 * gateway does not hold costs a question to the case service; so such questions are also counted per
 * client address, at the credential routes' address limit. Real keys are held from their creation on
 * and never count there.
 */
@Injectable()
export class ApiKeyGuard implements CanActivate {
  private readonly lookupLimit: number;

  constructor(
    private readonly reflector: Reflector,
    private readonly keys: IntegrationKeyStore,
    private readonly limiter: SlidingWindowLimiter,
    @Inject(APP_CONFIG) config: GatewayEnv,
  ) {
    this.lookupLimit = resolveRateLimits(config).credentialAddress;
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const req = context.switchToHttp().getRequest<GatewayRequest & Partial<IntegrationRequest>>();
    const presented = req.headers['x-api-key'];
    const match = typeof presented === 'string' ? API_KEY_PATTERN.exec(presented) : null;
    if (!match) {
      throw new DomainError(ErrorCode.Unauthorized);
    }
    const record = await this.keys.find(match[1], async () => {
      const verdict = await this.limiter.consume([
        {
          key: `integration:lookup:address:${addressBucket(req.ip)}`,
          limit: this.lookupLimit,
          scope: 'address',
        },
      ]);
      if (!verdict.allowed) {
        throw new DomainError(ErrorCode.RateLimited, { retryAfter: verdict.resetSeconds });
      }
    });
    if (!record || !sameHash(apiKeyHash(presented as string), record.keyHash) || record.revoked) {
      throw new DomainError(ErrorCode.Unauthorized);
    }
    const scope = this.reflector.getAllAndOverride<IntegrationScope | undefined>(REQUIRED_SCOPE, [
      context.getHandler(),
      context.getClass(),
    ]);
    if (scope !== undefined && !record.scopes.includes(scope)) {
      throw new DomainError(ErrorCode.Forbidden);
    }
    req.integration = record;
    return true;
  }
}

function sameHash(computed: string, stored: string): boolean {
  const a = Buffer.from(computed, 'base64url');
  const b = Buffer.from(stored, 'base64url');
  return a.length === b.length && timingSafeEqual(a, b);
}
