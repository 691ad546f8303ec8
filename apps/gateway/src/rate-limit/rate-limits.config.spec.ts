import { GatewayEnv } from '@app/config';
import { DEFAULT_RATE_LIMITS, resolveRateLimits } from './rate-limits.config';

describe(resolveRateLimits.name, () => {
  const env = (values: Partial<GatewayEnv>) => values as GatewayEnv;

  it('gives the documented defaults when nothing is set', () => {
    expect(resolveRateLimits(env({}))).toEqual(DEFAULT_RATE_LIMITS);
    expect(DEFAULT_RATE_LIMITS).toMatchObject({
      credentialAccount: 20,
      credentialAddress: 60,
      session: 1_200,
    });
  });

  it('takes each limit from its own variable', () => {
    expect(resolveRateLimits(env({ RATE_LIMIT_SESSION_PER_MINUTE: 5 }))).toEqual({
      ...DEFAULT_RATE_LIMITS,
      session: 5,
    });
  });

  it('keeps the deprecated RATE_LIMIT_PER_MINUTE working for every limit not set on its own', () => {
    const limits = resolveRateLimits(env({ RATE_LIMIT_PER_MINUTE: 7, RATE_LIMIT_USER_PER_MINUTE: 9 }));
    expect(limits).toEqual({
      credentialAccount: 7,
      credentialAddress: 7,
      session: 7,
      user: 9,
      anonymousAddress: 7,
      integrationKey: 7,
    });
  });
});
