import { SetMetadata } from '@nestjs/common';

export const RATE_LIMIT_CLASS = 'mamori:rate-limit-class';

/**
 * The classes of rate limit (GW-1). A route without the decorator is `authenticated` when it needs an
 * access token and `anonymous` when it is @Public().
 * - credential: login, second step, passkey, reset, initial password: strict, per client address and
 *   per account (below it, lockout is what stops guessing);
 * - authenticated: per session and per user, never per address (a company shares one egress address);
 * - anonymous: other public routes (password policy, health, docs, keys), per address, generous;
 * - integration: calls with an API key (`X-Api-Key`), per key.
 */
export type RateLimitClass = 'credential' | 'authenticated' | 'anonymous' | 'integration';

/**
 * Where a credential route finds the account it acts on: the user ID of the body, or the login flow
 * (which belongs to one account) or reset token of the path or body.
 */
export type AccountSource = 'body.userId' | 'body.flowId' | 'param.flowId' | 'param.token';

export interface RateLimitMetadata {
  class: RateLimitClass;
  account?: AccountSource;
}

/** Puts a route in a rate-limit class; credential routes name where their account comes from. */
export function RateLimit(rateClass: 'credential', account: AccountSource): MethodDecorator & ClassDecorator;
export function RateLimit(rateClass: 'anonymous' | 'integration'): MethodDecorator & ClassDecorator;
export function RateLimit(
  rateClass: RateLimitClass,
  account?: AccountSource,
): MethodDecorator & ClassDecorator {
  const metadata: RateLimitMetadata =
    account === undefined ? { class: rateClass } : { class: rateClass, account };
  return SetMetadata(RATE_LIMIT_CLASS, metadata);
}
