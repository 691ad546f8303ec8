import { GatewayEnv } from '@app/config';

/** Requests per minute of each counter, as configured (README, "Configuration"). */
export interface RateLimits {
  credentialAccount: number;
  credentialAddress: number;
  session: number;
  user: number;
  anonymousAddress: number;
  integrationKey: number;
}

/**
 * Defaults: a person types a password a few times a minute at most, so 20 tries per account and 60
 * per address leave room for typos and a shared office while a guesser gets nothing useful (and the
 * lockout counts every wrong try anyway); a busy single-page app makes a few calls a second per
 * session, so 1,200 per session and 2,400 per user (a few tabs) never get in the way of a person.
 */
export const DEFAULT_RATE_LIMITS: RateLimits = {
  credentialAccount: 20,
  credentialAddress: 60,
  session: 1_200,
  user: 2_400,
  anonymousAddress: 1_200,
  integrationKey: 600,
};

/** Each limit from its own variable, else the deprecated RATE_LIMIT_PER_MINUTE, else the default. */
export function resolveRateLimits(config: GatewayEnv): RateLimits {
  const pick = (own: number | undefined, fallback: number): number =>
    own ?? config.RATE_LIMIT_PER_MINUTE ?? fallback;
  return {
    credentialAccount: pick(
      config.RATE_LIMIT_CREDENTIAL_ACCOUNT_PER_MINUTE,
      DEFAULT_RATE_LIMITS.credentialAccount,
    ),
    credentialAddress: pick(
      config.RATE_LIMIT_CREDENTIAL_ADDRESS_PER_MINUTE,
      DEFAULT_RATE_LIMITS.credentialAddress,
    ),
    session: pick(config.RATE_LIMIT_SESSION_PER_MINUTE, DEFAULT_RATE_LIMITS.session),
    user: pick(config.RATE_LIMIT_USER_PER_MINUTE, DEFAULT_RATE_LIMITS.user),
    anonymousAddress: pick(
      config.RATE_LIMIT_ANONYMOUS_ADDRESS_PER_MINUTE,
      DEFAULT_RATE_LIMITS.anonymousAddress,
    ),
    integrationKey: pick(config.RATE_LIMIT_INTEGRATION_KEY_PER_MINUTE, DEFAULT_RATE_LIMITS.integrationKey),
  };
}
