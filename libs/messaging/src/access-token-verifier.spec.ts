import { ErrorCode, JsonWebKeySet } from '@app/contracts';
import { jwksOf, newSigningKeyJwk, signAccessToken, silentLogger, unsignedAccessToken } from '@app/testing';
import { parseSigningKeys } from '@app/config';
import { AccessTokenVerifier } from './access-token-verifier';
import { JwksSource } from './jwks.source';

const [current, previous, stranger] = parseSigningKeys(
  JSON.stringify([newSigningKeyJwk('current'), newSigningKeyJwk('previous'), newSigningKeyJwk('stranger')]),
);

class CountingSource {
  fetches = 0;
  constructor(public set: JsonWebKeySet | Error) {}
  async fetch(): Promise<JsonWebKeySet> {
    this.fetches++;
    if (this.set instanceof Error) {
      throw this.set;
    }
    return this.set;
  }
}

function verifierWith(source: CountingSource): AccessTokenVerifier {
  return new AccessTokenVerifier(source as unknown as JwksSource, silentLogger());
}

async function refusal(promise: Promise<unknown>): Promise<ErrorCode | 'accepted'> {
  try {
    await promise;
    return 'accepted';
  } catch (error) {
    return (error as { code: ErrorCode }).code;
  }
}

describe(AccessTokenVerifier.name, () => {
  const published = (): CountingSource => new CountingSource(jwksOf([current, previous]));

  it('accepts a token of either published key (rotation) and returns its claims', async () => {
    const sut = verifierWith(published());
    await expect(sut.verify(signAccessToken({ sub: 'u-1' }, { key: current }))).resolves.toMatchObject({
      sub: 'u-1',
    });
    await expect(sut.verify(signAccessToken({ sub: 'u-2' }, { key: previous }))).resolves.toMatchObject({
      sub: 'u-2',
    });
  });

  it.each([
    ['signed by a key auth does not publish', () => signAccessToken({}, { key: stranger })],
    [
      'signed by another key under a published kid',
      () => signAccessToken({}, { key: stranger, kid: 'current' }),
    ],
    ['of another audience', () => signAccessToken({}, { key: current, audience: 'someone-else' })],
    ['of another issuer', () => signAccessToken({}, { key: current, issuer: 'https://idp.example' })],
    ['expired', () => signAccessToken({}, { key: current, expiresIn: -1 })],
    ['of another type', () => signAccessToken({}, { key: current, typ: 'JWT' })],
    ['unsigned (alg none)', () => unsignedAccessToken({}, 'current')],
    ['with claims of another shape', () => signAccessToken({ role: 'root' as never }, { key: current })],
    ['not a JWT at all', () => 'not-a-token'],
  ])('refuses a token %s with unauthorized', async (_name, make) => {
    expect(await refusal(verifierWith(published()).verify(make()))).toBe(ErrorCode.Unauthorized);
  });

  it('fetches the keys once, and again when a token names a kid it has not seen', async () => {
    const source = new CountingSource(jwksOf([previous]));
    const sut = verifierWith(source);
    await sut.verify(signAccessToken({}, { key: previous }));
    await sut.verify(signAccessToken({}, { key: previous }));
    expect(source.fetches).toBe(1);
    // Auth starts signing with a new key: the first token of it makes the verifier look again.
    source.set = jwksOf([current, previous]);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await expect(sut.verify(signAccessToken({ sub: 'new' }, { key: current }))).resolves.toMatchObject({
      sub: 'new',
    });
    expect(source.fetches).toBe(2);
  });

  it('does not ask again for every made-up kid', async () => {
    const source = published();
    const sut = verifierWith(source);
    for (let i = 0; i < 20; i++) {
      expect(await refusal(sut.verify(signAccessToken({}, { key: stranger, kid: `made-up-${i}` })))).toBe(
        ErrorCode.Unauthorized,
      );
    }
    expect(source.fetches).toBe(1);
  });

  it('answers service_unavailable when no key could ever be fetched', async () => {
    const sut = verifierWith(new CountingSource(new Error('no responders')));
    expect(await refusal(sut.verify(signAccessToken({}, { key: current })))).toBe(
      ErrorCode.ServiceUnavailable,
    );
  });
});
