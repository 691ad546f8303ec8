import type Redis from 'ioredis';
import { GatewayEnv, parseSigningKeys } from '@app/config';
import { ErrorCode, revokedSessionKey } from '@app/contracts';
import { AccessTokenVerifier, JwksSource } from '@app/messaging';
import { jwksOf, newSigningKeyJwk, signAccessToken, silentLogger } from '@app/testing';
import { AccessTokenAuthenticator } from './access-token.authenticator';
import { refusal } from './guard-test.util';

const config = { REDIS_PREFIX: 'unit' } as GatewayEnv;
const [key] = parseSigningKeys(JSON.stringify([newSigningKeyJwk('k1')]));
const source = { fetch: async () => jwksOf([key]) } as unknown as JwksSource;

function authenticatorWith(revoked: Set<string> | 'down'): AccessTokenAuthenticator {
  const redis = {
    exists: async (k: string) => {
      if (revoked === 'down') {
        throw new Error('Connection is closed.');
      }
      return revoked.has(k) ? 1 : 0;
    },
  };
  return new AccessTokenAuthenticator(
    config,
    redis as unknown as Redis,
    new AccessTokenVerifier(source, silentLogger()),
  );
}

describe(AccessTokenAuthenticator.name, () => {
  const claims = {
    sub: 'user-1',
    sid: 'session-1',
    tenant: 'N202400003',
    role: 'admin' as const,
    sfa: 1_763_769_600,
  };

  it('turns a verified token into the principal', async () => {
    await expect(
      authenticatorWith(new Set()).authenticate(signAccessToken(claims, { key })),
    ).resolves.toEqual({
      id: 'user-1',
      sessionId: 'session-1',
      tenant: 'N202400003',
      role: 'admin',
      secondFactorAt: '2025-11-22T00:00:00.000Z',
    });
  });

  it('gives secondFactorAt null when the session never did a second step', async () => {
    const token = signAccessToken({ ...claims, sfa: null, tenant: null, role: 'operator' }, { key });
    await expect(authenticatorWith(new Set()).authenticate(token)).resolves.toMatchObject({
      secondFactorAt: null,
      tenant: null,
    });
  });

  it('refuses the token of a revoked session with session_ended', async () => {
    const sut = authenticatorWith(new Set([revokedSessionKey('unit', 'session-1')]));
    expect(await refusal(() => sut.authenticate(signAccessToken(claims, { key })))).toBe(
      ErrorCode.SessionEnded,
    );
  });

  it('refuses rather than guesses when Redis cannot be asked', async () => {
    expect(
      await refusal(() => authenticatorWith('down').authenticate(signAccessToken(claims, { key }))),
    ).toBe(ErrorCode.ServiceUnavailable);
  });

  it.each([
    [{ ...claims, sub: undefined }],
    [{ ...claims, sid: 42 }],
    [{ ...claims, role: 'root' }],
    [{ ...claims, tenant: 7 }],
    [{ ...claims, sfa: 'yesterday' }],
  ])('refuses well-signed claims of another shape: %p', async (bad) => {
    const token = signAccessToken(bad as never, { key });
    expect(await refusal(() => authenticatorWith(new Set()).authenticate(token))).toBe(
      ErrorCode.Unauthorized,
    );
  });
});
