import { CanActivate, ExecutionContext, Inject, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Response } from 'express';
import { Counter as PromCounter } from 'prom-client';
import { APP_CONFIG, GatewayEnv } from '@app/config';
import { DomainError, ErrorCode } from '@app/contracts';
import { Metrics } from '@app/observability';
import { GatewayRequest } from '../request-context/gateway-request';
import { IS_PUBLIC } from '../security/public.decorator';
import { addressBucket } from './client-address.util';
import { RATE_LIMIT_CLASS, RateLimitClass, RateLimitMetadata } from './rate-limit.decorator';
import { accountKey, apiKeyKey } from './rate-limit-keys';
import { RateLimits, resolveRateLimits } from './rate-limits.config';
import { Counter, SlidingWindowLimiter, Verdict } from './sliding-window.limiter';

/**
 * Global guard, after the access-token guard: by then an authenticated route's principal is verified
 * (signature, expiry, revocation), so its session and user are known without trusting anything the
 * client wrote, and before the controller, so a refused request costs one Redis round trip and never
 * reaches NATS or a database. Every answer that passes here carries RateLimit-Limit, -Remaining and
 * -Reset (IETF draft) for its tightest counter; a refusal is `429 rate_limited` with Retry-After.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  private readonly limits: RateLimits;
  private readonly refusals: PromCounter<'class' | 'scope'>;

  constructor(
    private readonly reflector: Reflector,
    private readonly limiter: SlidingWindowLimiter,
    @Inject(APP_CONFIG) config: GatewayEnv,
    metrics: Metrics,
  ) {
    this.limits = resolveRateLimits(config);
    this.refusals = rateLimitRefusals(metrics);
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const http = context.switchToHttp();
    const req = http.getRequest<GatewayRequest>();
    const res = http.getResponse<Response>();
    const targets = [context.getHandler(), context.getClass()];
    const metadata = this.reflector.getAllAndOverride<RateLimitMetadata | undefined>(
      RATE_LIMIT_CLASS,
      targets,
    );
    const isPublic = this.reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC, targets) === true;
    const rateClass: RateLimitClass = metadata?.class ?? (isPublic ? 'anonymous' : 'authenticated');
    await this.check(rateClass, this.countersFor(rateClass, metadata, req), res);
    return true;
  }

  /** Counts the request on `counters`, sets the RateLimit headers, and throws when it is refused. */
  async check(rateClass: RateLimitClass, counters: Counter[], res: Response): Promise<void> {
    let verdict: Verdict;
    try {
      verdict = await this.limiter.consume(counters);
    } catch (error) {
      // Without Redis nothing can be counted. Credential, session and key limits then refuse (503):
      // they guard what an attacker wants. Anonymous routes (health, policy, docs) cost nothing to
      // serve and liveness must not depend on Redis, so they answer uncounted.
      if (
        rateClass === 'anonymous' &&
        error instanceof DomainError &&
        error.code === ErrorCode.ServiceUnavailable
      ) {
        return;
      }
      throw error;
    }
    setRateLimitHeaders(res, verdict);
    if (!verdict.allowed) {
      this.refusals.inc({ class: rateClass, scope: verdict.scope });
      throw new DomainError(ErrorCode.RateLimited, { retryAfter: verdict.resetSeconds });
    }
  }

  countersFor(
    rateClass: RateLimitClass,
    metadata: RateLimitMetadata | undefined,
    req: GatewayRequest,
  ): Counter[] {
    const address = addressBucket(req.ip);
    switch (rateClass) {
      case 'credential': {
        const counters: Counter[] = [
          { key: `credential:address:${address}`, limit: this.limits.credentialAddress, scope: 'address' },
        ];
        const account = metadata?.account === undefined ? undefined : accountKey(req, metadata.account);
        if (account !== undefined) {
          counters.push({
            key: `credential:${account}`,
            limit: this.limits.credentialAccount,
            scope: 'account',
          });
        }
        return counters;
      }
      case 'authenticated': {
        const principal = req.user;
        if (principal) {
          return [
            { key: `session:${principal.sessionId}`, limit: this.limits.session, scope: 'session' },
            { key: `user:${principal.id}`, limit: this.limits.user, scope: 'user' },
          ];
        }
        // Not reached on a route that needs a token (the token guard refuses first); counted as anonymous.
        break;
      }
      case 'integration': {
        const key = apiKeyKey(req);
        if (key !== undefined) {
          return [{ key: `integration:${key}`, limit: this.limits.integrationKey, scope: 'key' }];
        }
        break;
      }
      case 'anonymous':
        break;
    }
    return [{ key: `anonymous:address:${address}`, limit: this.limits.anonymousAddress, scope: 'address' }];
  }
}

/** RateLimit-* headers (IETF draft "RateLimit header fields for HTTP"), so a client can pace itself. */
export function setRateLimitHeaders(res: Response, verdict: Verdict): void {
  res.setHeader('RateLimit-Limit', String(verdict.limit));
  res.setHeader('RateLimit-Remaining', String(verdict.remaining));
  res.setHeader('RateLimit-Reset', String(verdict.resetSeconds));
}

const REFUSALS = 'mamori_rate_limit_refusals_total';

/** Requests refused per class and counter; one per process registry, whichever part asks first. */
export function rateLimitRefusals(metrics: Metrics): PromCounter<'class' | 'scope'> {
  const existing = metrics.registry.getSingleMetric(REFUSALS);
  if (existing) {
    return existing as PromCounter<'class' | 'scope'>;
  }
  return new PromCounter({
    name: REFUSALS,
    help: 'Requests refused by a gateway rate limit, by class (credential, authenticated, anonymous, integration) and counter',
    labelNames: ['class', 'scope'],
    registers: [metrics.registry],
  });
}
