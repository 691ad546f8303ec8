import { ExecutionContext } from '@nestjs/common';
import { defer, lastValueFrom, of } from 'rxjs';
import { parseSigningKeys } from '@app/config';
import { ErrorCode, Principal, RpcEnvelope } from '@app/contracts';
import { Metrics } from '@app/observability';
import { jwksOf, newSigningKeyJwk, signAccessToken, signingKeysEnv } from '@app/testing';
import { AccessTokenVerifier } from './access-token-verifier';
import { JwksSource } from './jwks.source';
import { RpcServerInterceptor } from './rpc-server.interceptor';

const [published, stranger] = parseSigningKeys(
  signingKeysEnv(newSigningKeyJwk('k1'), newSigningKeyJwk('k2')),
);
const source = { fetch: async () => jwksOf([published]) } as unknown as JwksSource;
const metrics = { rpcDuration: { observe: () => undefined } } as unknown as Metrics;

/** Runs the interceptor around a handler that reports the principal it was given. */
async function principalSeenBy(envelope: unknown): Promise<Principal | undefined> {
  const sut = new RpcServerInterceptor(metrics, new AccessTokenVerifier(source));
  const context = {
    getType: () => 'rpc',
    switchToRpc: () => ({ getContext: () => ({ getSubject: () => 'auth.logout' }), getData: () => envelope }),
  } as unknown as ExecutionContext;
  const handler = { handle: () => defer(() => of((envelope as RpcEnvelope<unknown>).ctx.principal)) };
  return (await lastValueFrom(sut.intercept(context, handler))) as Principal | undefined;
}

async function codeOf(promise: Promise<unknown>): Promise<ErrorCode | 'handled'> {
  try {
    await promise;
    return 'handled';
  } catch (error) {
    return (error as { code: ErrorCode }).code;
  }
}

describe(RpcServerInterceptor.name, () => {
  const victim: Principal = {
    id: 'victim',
    sessionId: 's-victim',
    tenant: null,
    role: 'operator',
    secondFactorAt: null,
  };

  it('drops a principal sent in the envelope: the handler sees none without a token', async () => {
    await expect(
      principalSeenBy({ ctx: { requestId: 'r1', principal: victim }, data: {} }),
    ).resolves.toBeUndefined();
  });

  it('derives the principal from a verified token, whatever principal came with it', async () => {
    const token = signAccessToken(
      { sub: 'caller', sid: 's-caller', role: 'user', tenant: 'N1', sfa: null },
      { key: published },
    );
    await expect(
      principalSeenBy({ ctx: { requestId: 'r2', principal: victim, accessToken: token }, data: {} }),
    ).resolves.toEqual({
      id: 'caller',
      sessionId: 's-caller',
      tenant: 'N1',
      role: 'user',
      secondFactorAt: null,
    });
  });

  it('refuses the call when the token does not verify, before the handler runs', async () => {
    const forged = signAccessToken({ sub: 'victim', sid: 's-victim' }, { key: stranger, kid: 'k1' });
    expect(
      await codeOf(
        principalSeenBy({ ctx: { requestId: 'r3', principal: victim, accessToken: forged }, data: {} }),
      ),
    ).toBe(ErrorCode.Unauthorized);
    expect(await codeOf(principalSeenBy({ ctx: { requestId: 'r4', accessToken: 42 }, data: {} }))).toBe(
      ErrorCode.Unauthorized,
    );
  });

  it('refuses an envelope whose ctx is not an object', async () => {
    expect(await codeOf(principalSeenBy({ ctx: 'root', data: {} }))).toBe(ErrorCode.ValidationFailed);
  });
});
