import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { CallContext, LoginResult, SecondFactorRequiredResult } from '@app/contracts';
import { RequestContext } from '@app/observability';
import { randomId } from '@app/testing';
import { LoginController } from '@app/auth/login-flow/login.controller';
import { AuthTestApp, UserFixture } from './auth-test-app';

type QueryFn = (...args: unknown[]) => unknown;

/**
 * Issue 13: the login path's PostgreSQL round trips. Every statement the pg client sends on behalf of
 * one request (BEGIN and COMMIT included) is counted by the request id it runs under, so the outbox
 * relay and other background work of the process are not. An unknown ID must cost exactly what a
 * wrong password for a known one costs (AUTH-3: no enumeration by timing).
 */
describe('round trips of the login path', () => {
  let t: AuthTestApp;
  let controller: LoginController;
  const counts = new Map<string, number>();
  const pgClient = createRequire(__filename)('pg').Client as { prototype: { query: QueryFn } };
  const original = pgClient.prototype.query;

  beforeAll(async () => {
    t = await AuthTestApp.create();
    controller = t.get(LoginController);
    pgClient.prototype.query = function (this: unknown, ...args: unknown[]) {
      const id = RequestContext.current()?.requestId;
      if (id !== undefined && counts.has(id)) {
        counts.set(id, counts.get(id)! + 1);
      }
      return original.apply(this, args);
    };
  });
  afterAll(async () => {
    pgClient.prototype.query = original;
    await t.close();
  });

  /** Runs one RPC handler call under a fresh request id; returns its outcome and its round trips. */
  async function counted<T>(
    fn: (ctx: CallContext) => Promise<T>,
  ): Promise<{ result: T | Error; trips: number }> {
    const requestId = randomUUID();
    counts.set(requestId, 0);
    let result: T | Error;
    try {
      result = await t.inRequest(requestId, fn);
    } catch (error) {
      result = error as Error;
    }
    const trips = counts.get(requestId)!;
    counts.delete(requestId);
    return { result, trips };
  }

  const password = (userId: string, pw: string) =>
    counted((ctx) => controller.password({ ctx, data: { userId, password: pw } }));

  async function admin(): Promise<UserFixture> {
    return t.newUser({ tenant: await t.newTenant(), role: 'admin' });
  }

  it('costs an unknown ID exactly the round trips of a wrong password', async () => {
    const user = await admin();
    const wrong = await password(user.userId, 'Wrong-Passw0rd!');
    const unknown = await password(`nobody-${randomId()}`, 'Wrong-Passw0rd!');

    expect(wrong.result).toBeInstanceOf(Error);
    expect(unknown.result).toBeInstanceOf(Error);
    expect(unknown.trips).toBe(wrong.trips);
    expect(wrong.trips).toBeLessThanOrEqual(WRONG_PASSWORD_TRIPS);
  });

  it('opens a second-step flow in one read before the hash and one write after it', async () => {
    const user = await admin();

    const { result, trips } = await password(user.userId, user.password!);

    expect((result as LoginResult).status).toBe('second_factor_required');
    expect(trips).toBeLessThanOrEqual(SECOND_FACTOR_TRIPS);
  });

  it('starts a session without a second step with one read before the hash', async () => {
    const user = await t.newUser({ tenant: await t.newTenant(), role: 'user' });

    const { result, trips } = await password(user.userId, user.password!);

    expect((result as LoginResult).status).toBe('authenticated');
    expect(trips).toBeLessThanOrEqual(AUTHENTICATED_TRIPS);
  });

  it('checks a security code within its round-trip budget', async () => {
    const user = await admin();
    const started = await password(user.userId, user.password!);
    const flowId = (started.result as SecondFactorRequiredResult).flowId;
    await t.call((ctx) => controller.challenge({ ctx, data: { flowId, method: 'email' } }));
    const code = await t.lastCode(user.id, 'email');

    const { result, trips } = await counted((ctx) =>
      controller.verify({ ctx, data: { flowId, method: 'email', code } }),
    );

    expect((result as LoginResult).status).toBe('authenticated');
    expect(trips).toBeLessThanOrEqual(SECOND_STEP_TRIPS);
  });
});

// Round trips before issue 13 (BEGIN and COMMIT counted): a wrong password or an unknown ID 7, a
// second-step flow opened 12, a session without a second step 15, a security code checked 21. The
// password step now reserves the try and reads the account, its risk memory, its method offers and
// its initial-password state in one statement; a fact and its login history row are one statement;
// the count reset and the flow travel in the statement of the flow's fact. A wrong password (or an
// unknown ID) settles its try and writes its fact, and the lock's fact when it locked, in one
// statement. A login that ends in a session writes the count reset, the session, its refresh token,
// both facts and their history rows in one statement, atomic without a transaction. A security code is checked in the verify's
// transaction with one read that takes the lockout row, the flow and the code under lock, and one
// statement that writes the outcome (BEGIN, read, write, COMMIT).
const WRONG_PASSWORD_TRIPS = 2;
const SECOND_FACTOR_TRIPS = 2;
const AUTHENTICATED_TRIPS = 2;
const SECOND_STEP_TRIPS = 4;
