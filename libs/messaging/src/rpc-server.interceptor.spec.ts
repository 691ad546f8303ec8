import { ExecutionContext } from '@nestjs/common';
import { defer, lastValueFrom, of } from 'rxjs';
import { parseSigningKeys } from '@app/config';
import { ChallengeRequest, ErrorCode, Principal, RpcEnvelope, RpcSubject, UserIdParam } from '@app/contracts';
import { Metrics } from '@app/observability';
import { jwksOf, newSigningKeyJwk, signAccessToken, signingKeysEnv, silentLogger } from '@app/testing';
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
  const sut = new RpcServerInterceptor(
    metrics,
    new AccessTokenVerifier(source, silentLogger()),
    silentLogger(),
  );
  const context = {
    getType: () => 'rpc',
    switchToRpc: () => ({ getContext: () => ({ getSubject: () => 'auth.logout' }), getData: () => envelope }),
  } as unknown as ExecutionContext;
  const handler = { handle: () => defer(() => of((envelope as RpcEnvelope<unknown>).ctx.principal)) };
  return (await lastValueFrom(sut.intercept(context, handler))) as Principal | undefined;
}

/** Runs the interceptor around a handler that reports the request data it was given. */
async function dataSeenBy(subject: RpcSubject, data: unknown): Promise<unknown> {
  const sut = new RpcServerInterceptor(
    metrics,
    new AccessTokenVerifier(source, silentLogger()),
    silentLogger(),
  );
  const envelope = { ctx: { requestId: 'r-data' }, data };
  const context = {
    getType: () => 'rpc',
    switchToRpc: () => ({ getContext: () => ({ getSubject: () => subject }), getData: () => envelope }),
  } as unknown as ExecutionContext;
  const handler = { handle: () => defer(() => of(envelope.data)) };
  return lastValueFrom(sut.intercept(context, handler));
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

  it('hands the handler the validated request, with fields its class does not declare dropped', async () => {
    const id = '0b8f8a3c-1d2e-4f5a-8b6c-7d8e9f0a1b2c';
    const seen = await dataSeenBy('auth.admin.user.unlock', { id, tenant: 'N999', role: 'operator' });
    expect(seen).toBeInstanceOf(UserIdParam);
    expect(seen).toEqual({ id });
    expect(Object.keys(seen as object)).toEqual(['id']);
  });

  it('leaves absent optional fields absent, not present as undefined', async () => {
    const seen = await dataSeenBy('auth.logout', {});
    expect(Object.keys(seen as object)).toEqual([]);
  });

  it('drops every field of a subject that takes none', async () => {
    await expect(dataSeenBy('auth.tenant.list', { where: 'all' })).resolves.toEqual({});
  });

  it('validates path fields with the body: a flow id that is not one is refused', async () => {
    const flowId = '0b8f8a3c-1d2e-4f5a-8b6c-7d8e9f0a1b2c';
    const seen = await dataSeenBy('auth.login.challenge', { flowId, method: 'email' });
    expect(seen).toBeInstanceOf(ChallengeRequest);
    await expect(
      codeOf(dataSeenBy('auth.login.challenge', { flowId: '../x', method: 'email' })),
    ).resolves.toBe(ErrorCode.ValidationFailed);
  });

  it("refuses an invalid field with the catalogue's validation error and names the field", async () => {
    const error = await dataSeenBy('auth.admin.user.unlock', { id: 42 }).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: ErrorCode.ValidationFailed,
      details: { fields: { id: expect.any(Array) } },
    });
  });
});
