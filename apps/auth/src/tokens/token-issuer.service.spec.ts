import { JwtService } from '@nestjs/jwt';
import { createPublicKey } from 'node:crypto';
import { AuthEnv } from '@app/config';
import { FakeClock, newSigningKeyJwk, signingKeysEnv } from '@app/testing';
import { SecretHasher } from '../crypto/secret-hasher';
import { TokenIssuer } from './token-issuer.service';

describe(TokenIssuer.name, () => {
  const config = {
    ACCESS_TOKEN_SIGNING_KEYS: signingKeysEnv(newSigningKeyJwk('k-new'), newSigningKeyJwk('k-old')),
    TOKEN_HMAC_SECRET: 'h'.repeat(32),
    ACCESS_TOKEN_TTL_SECONDS: 900,
  } as AuthEnv;
  const clock = new FakeClock(new Date('2026-01-01T00:00:00Z'));
  const sut = new TokenIssuer(new JwtService(), new SecretHasher(config), clock, config);
  const sid = '0b8e6f0e-6a55-4c1c-9d1e-1f2a3b4c5d6e';

  it('signs ES256 access tokens with the first key, its kid, typ, iss and aud, expiring after 15 minutes', () => {
    const { token, expiresIn } = sut.accessToken({ sub: 'u', sid, tenant: 'N1', role: 'admin', sfa: 1 });
    expect(expiresIn).toBe(900);
    const [first] = JSON.parse(config.ACCESS_TOKEN_SIGNING_KEYS) as { x: string; y: string }[];
    const publicKey = createPublicKey({
      key: { kty: 'EC', crv: 'P-256', x: first.x, y: first.y },
      format: 'jwk',
    })
      .export({ type: 'spki', format: 'pem' })
      .toString();
    const { header, payload } = new JwtService().verify<{ header: object; payload: object }>(token, {
      publicKey,
      algorithms: ['ES256'],
      clockTimestamp: clock.now().getTime() / 1000,
      complete: true,
    });
    expect(header).toEqual({ alg: 'ES256', typ: 'at+jwt', kid: 'k-new' });
    const claims = payload;
    expect(claims).toMatchObject({
      iss: 'mamori-auth',
      aud: 'mamori',
      sub: 'u',
      sid,
      tenant: 'N1',
      role: 'admin',
      sfa: 1,
      iat: 1767225600,
      exp: 1767225600 + 900,
    });
  });

  it("never outlives the session's absolute end (AUTH-15)", () => {
    const end = new Date(clock.now().getTime() + 120_000);
    const { token, expiresIn } = sut.accessToken(
      { sub: 'u', sid, tenant: null, role: 'user', sfa: null },
      end,
    );
    expect(expiresIn).toBe(120);
    expect(new JwtService().decode<{ exp: number }>(token).exp).toBe(end.getTime() / 1000);
  });

  it('makes refresh tokens that name their session and are stored only as HMAC', () => {
    const a = sut.refreshToken(sid);
    const b = sut.refreshToken(sid);
    expect(a.token).not.toBe(b.token);
    expect(sut.sessionIdOf(a.token)).toBe(sid);
    expect(a.hmac).toBe(sut.refreshTokenHmac(a.token));
    expect(a.hmac).not.toContain(a.token.split('.')[1]);
  });

  it.each(['', 'no-dot', '.x', `${sid}.`, 'not-a-uuid.abc'])('finds no session in %p', (token) => {
    expect(sut.sessionIdOf(token)).toBeNull();
  });
});
