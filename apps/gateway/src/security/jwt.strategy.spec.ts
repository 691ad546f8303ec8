import type Redis from 'ioredis';
import { GatewayEnv } from '@app/config';
import { ErrorCode, revokedSessionKey } from '@app/contracts';
import { JwtStrategy } from './jwt.strategy';
import { refusal } from './guard-test.util';

const config = { JWT_SECRET: 's'.repeat(40), REDIS_PREFIX: 'unit' } as GatewayEnv;

function strategyWith(revoked: Set<string> | 'down'): JwtStrategy {
  const redis = {
    exists: async (key: string) => {
      if (revoked === 'down') {
        throw new Error('Connection is closed.');
      }
      return revoked.has(key) ? 1 : 0;
    },
  };
  return new JwtStrategy(config, redis as unknown as Redis);
}

describe(JwtStrategy.name, () => {
  const claims = { sub: 'user-1', sid: 'session-1', tenant: 'N202400003', role: 'admin', sfa: 1_763_769_600 };

  it('turns valid claims into the principal', async () => {
    await expect(strategyWith(new Set()).validate(claims)).resolves.toEqual({
      id: 'user-1',
      sessionId: 'session-1',
      tenant: 'N202400003',
      role: 'admin',
      secondFactorAt: '2025-11-22T00:00:00.000Z',
    });
  });

  it('gives secondFactorAt null when the session never did a second step', async () => {
    await expect(
      strategyWith(new Set()).validate({ ...claims, sfa: null, tenant: null, role: 'operator' }),
    ).resolves.toMatchObject({
      secondFactorAt: null,
      tenant: null,
    });
  });

  it('refuses the token of a revoked session with session_ended', async () => {
    const sut = strategyWith(new Set([revokedSessionKey('unit', 'session-1')]));
    expect(await refusal(() => sut.validate(claims))).toBe(ErrorCode.SessionEnded);
  });

  it('refuses rather than guesses when Redis cannot be asked', async () => {
    expect(await refusal(() => strategyWith('down').validate(claims))).toBe(ErrorCode.ServiceUnavailable);
  });

  it.each([
    [{ ...claims, sub: undefined }],
    [{ ...claims, sid: 42 }],
    [{ ...claims, role: 'root' }],
    [{ ...claims, tenant: 7 }],
    [{ ...claims, sfa: 'yesterday' }],
    ['a string'],
    [null],
  ])('refuses well-signed claims of another shape: %p', async (bad) => {
    expect(await refusal(() => strategyWith(new Set()).validate(bad))).toBe(ErrorCode.Unauthorized);
  });
});
