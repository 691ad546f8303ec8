import { randomUUID } from 'node:crypto';
import type { Response } from 'express';
import { DomainError, ERROR_CATALOG, ErrorCode } from '@app/contracts';
import { Answer, call, FakeClock, randomIp, randomSuffix } from '@app/testing';
import { RateLimitGuard } from '@app/gateway/rate-limit/rate-limit.guard';
import { GatewayRequest } from '@app/gateway/request-context/gateway-request';
import { accessToken, RunningGateway, StandInServices, startGateway } from './gateway-harness';

jest.setTimeout(120_000);

const FLOW = () => randomUUID();

function expectRateLimited(answer: Answer): void {
  expect({ status: answer.status, code: answer.body?.error?.code }).toEqual({
    status: 429,
    code: ErrorCode.RateLimited,
  });
  expect(answer.body.error.message).toBe(ERROR_CATALOG[ErrorCode.RateLimited].en);
  const retryAfter = Number(answer.headers.get('retry-after'));
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(120);
  expect(answer.body.error.details.retryAfter).toBe(retryAfter);
  expect(answer.headers.get('ratelimit-remaining')).toBe('0');
}

/** Runs `task(i)` for i < total with `concurrency` in flight. */
async function pool(total: number, concurrency: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total) {
        await task(next++);
      }
    }),
  );
}

function standIns(): StandInServices {
  return (
    new StandInServices()
      .on('auth.login.password', () => {
        throw new DomainError(ErrorCode.InvalidCredentials);
      })
      .on('auth.login.verify', () => {
        throw new DomainError(ErrorCode.InvalidCode, { attemptsLeft: 2 });
      })
      .on('auth.password_reset.request', () => ({ status: 'accepted' }))
      .on('auth.password.policy', () => ({ minLength: 12, maxLength: 40, symbols: '', rules: [] }))
      // The services get the token, not a principal (they verify it themselves).
      .on('auth.me.get', (_data, ctx) => ({ tokenSent: typeof ctx.accessToken === 'string' }) as never)
  );
}

describe('rate limits: authenticated calls per session and per user, never per address', () => {
  const services = standIns();
  let gw: RunningGateway;

  // "Within a minute" by the limiter's clock, whatever this machine's load makes of the wall clock:
  // every call falls in the same window, one second into it.
  const clock = new FakeClock(new Date(Math.ceil(Date.now() / 60_000) * 60_000 + 1_000));

  beforeAll(async () => {
    // The defaults, as a deployment gets them.
    gw = await startGateway({}, services, { clock });
  });
  afterAll(async () => {
    await gw?.close();
  });

  it('300 sessions behind one address, 30 calls each within a minute: no 429', async () => {
    const office = randomIp();
    const tokens = Array.from({ length: 300 }, () => accessToken());
    const statuses = new Map<number, number>();
    const before = services.calls.filter((c) => c.subject === 'auth.me.get').length;
    let leastRemaining = Infinity;
    await pool(300 * 30, 16, async (i) => {
      const answer = await call(gw.url, 'GET', '/api/v1/me', { token: tokens[i % 300], ip: office });
      statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
      leastRemaining = Math.min(leastRemaining, Number(answer.headers.get('ratelimit-remaining')));
    });
    expect(Object.fromEntries(statuses)).toEqual({ 200: 9000 });
    expect(services.calls.filter((c) => c.subject === 'auth.me.get').length - before).toBe(9000);
    // Counted per session: after its 30th call a session has 1,200 - 30 left.
    expect(leastRemaining).toBe(1170);
    // 9,000 calls: minutes on a loaded 2-core machine.
  }, 600_000);
});

describe('rate limits: classes, across two replicas sharing Redis', () => {
  const services = standIns();
  let a: RunningGateway;
  let b: RunningGateway;
  const limits = {
    RATE_LIMIT_CREDENTIAL_ACCOUNT_PER_MINUTE: 3,
    RATE_LIMIT_CREDENTIAL_ADDRESS_PER_MINUTE: 5,
    RATE_LIMIT_SESSION_PER_MINUTE: 4,
    RATE_LIMIT_USER_PER_MINUTE: 6,
    RATE_LIMIT_ANONYMOUS_ADDRESS_PER_MINUTE: 3,
    RATE_LIMIT_INTEGRATION_KEY_PER_MINUTE: 2,
  };
  const forwarded = (subject: string) => services.calls.filter((c) => c.subject === subject).length;

  beforeAll(async () => {
    [a, b] = await Promise.all([startGateway(limits, services), startGateway(limits, services)]);
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close()]);
  });

  it('counts one account across addresses and replicas on login; a refused login never reaches the services', async () => {
    const userId = `acct-${randomSuffix()}`;
    const before = forwarded('auth.login.password');
    const answers: Answer[] = [];
    for (let i = 0; i < 5; i++) {
      answers.push(
        await call(i % 2 ? a.url : b.url, 'POST', '/api/v1/auth/login', { body: { userId, password: 'x' } }),
      );
    }
    expect(answers.map((x) => x.status)).toEqual([401, 401, 401, 429, 429]);
    expectRateLimited(answers[3]);
    expect(forwarded('auth.login.password') - before).toBe(3);
    // The same account written another way is the same account; another account is not.
    expect(
      (
        await call(a.url, 'POST', '/api/v1/auth/login', {
          body: { userId: ` ${userId.toUpperCase()} `, password: 'x' },
        })
      ).status,
    ).toBe(429);
    expect(
      (
        await call(a.url, 'POST', '/api/v1/auth/login', {
          body: { userId: `${userId}-other`, password: 'x' },
        })
      ).status,
    ).toBe(401);
  });

  it('counts one client address across accounts and replicas on every credential route', async () => {
    const ip = randomIp();
    const before = services.calls.length;
    const attempts = [
      () =>
        call(a.url, 'POST', '/api/v1/auth/login', {
          ip,
          body: { userId: `u-${randomSuffix()}`, password: 'x' },
        }),
      () =>
        call(b.url, 'POST', `/api/v1/auth/login/${FLOW()}/verify`, {
          ip,
          body: { method: 'email', code: '123456' },
        }),
      () =>
        call(a.url, 'POST', '/api/v1/auth/password-reset', {
          ip,
          body: { userId: `u-${randomSuffix()}`, email: 'a@example.com' },
        }),
      () =>
        call(b.url, 'POST', '/api/v1/auth/login', {
          ip,
          body: { userId: `u-${randomSuffix()}`, password: 'x' },
        }),
      () =>
        call(a.url, 'POST', `/api/v1/auth/login/${FLOW()}/verify`, {
          ip,
          body: { method: 'email', code: '123456' },
        }),
    ];
    const statuses: number[] = [];
    for (const attempt of attempts) {
      statuses.push((await attempt()).status);
    }
    expect(statuses).toEqual([401, 401, 202, 401, 401]);
    const over = await call(b.url, 'POST', '/api/v1/auth/password-reset', {
      ip,
      body: { userId: `u-${randomSuffix()}`, email: 'a@example.com' },
    });
    expectRateLimited(over);
    expect(services.calls.length - before).toBe(5);
    // Another client is not held back by this one.
    expect(
      (
        await call(b.url, 'POST', '/api/v1/auth/login', {
          body: { userId: `u-${randomSuffix()}`, password: 'x' },
        })
      ).status,
    ).toBe(401);
  });

  it('counts the code guesses of one login flow, whichever addresses they come from', async () => {
    const flow = FLOW();
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      statuses.push(
        (
          await call(i % 2 ? a.url : b.url, 'POST', `/api/v1/auth/login/${flow}/verify`, {
            body: { method: 'email', code: '000000' },
          })
        ).status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 429]);
  });

  it('limits a session, then its user across sessions, with RateLimit headers on every answer; no NATS call when refused', async () => {
    const userId = randomUUID();
    const first = accessToken({ sub: userId });
    const second = accessToken({ sub: userId });
    const stranger = accessToken();
    const before = forwarded('auth.me.get');
    const firstAnswers: Answer[] = [];
    for (let i = 0; i < 5; i++) {
      firstAnswers.push(await call(i % 2 ? a.url : b.url, 'GET', '/api/v1/me', { token: first }));
    }
    expect(firstAnswers.map((x) => x.status)).toEqual([200, 200, 200, 200, 429]);
    expect(firstAnswers.map((x) => x.headers.get('ratelimit-remaining'))).toEqual(['3', '2', '1', '0', '0']);
    expect(firstAnswers.every((x) => x.headers.get('ratelimit-limit') === '4')).toBe(true);
    expect(firstAnswers.every((x) => Number(x.headers.get('ratelimit-reset')) > 0)).toBe(true);
    expectRateLimited(firstAnswers[4]);
    // The user has 6: two more through another session, then that session is refused too.
    const secondAnswers: Answer[] = [];
    for (let i = 0; i < 3; i++) {
      secondAnswers.push(await call(a.url, 'GET', '/api/v1/me', { token: second }));
    }
    expect(secondAnswers.map((x) => x.status)).toEqual([200, 200, 429]);
    expect(forwarded('auth.me.get') - before).toBe(6);
    // Another user from the very same address is not affected.
    expect((await call(a.url, 'GET', '/api/v1/me', { token: stranger })).status).toBe(200);
  });

  it('limits anonymous routes per address, the API docs included', async () => {
    const ip = randomIp();
    const answers = [
      await call(a.url, 'GET', '/api/v1/auth/password-policy', { ip }),
      await call(b.url, 'GET', '/api/docs-json', { ip }),
      await call(a.url, 'GET', '/health', { ip }),
    ];
    expect(answers.map((x) => x.status)).toEqual([200, 200, 200]);
    expect(answers.map((x) => x.headers.get('ratelimit-remaining'))).toEqual(['2', '1', '0']);
    expectRateLimited(await call(b.url, 'GET', '/api/v1/auth/password-policy', { ip }));
    expectRateLimited(await call(a.url, 'GET', '/api/docs', { ip }));
    expect((await call(a.url, 'GET', '/api/v1/auth/password-policy')).status).toBe(200);
  });

  it('limits integrations per API key (by a hash of X-Api-Key), not per address', async () => {
    const guard = a.app.get(RateLimitGuard);
    const key = `mk_${randomSuffix()}`;
    const request = (apiKey: string, ip: string) =>
      ({ ip, headers: { 'x-api-key': apiKey }, body: {}, params: {} }) as unknown as GatewayRequest;
    const headers: Record<string, string> = {};
    const res = {
      setHeader: (name: string, value: string) => (headers[name] = value),
    } as unknown as Response;
    const attempt = (apiKey: string, ip: string) =>
      guard.check('integration', guard.countersFor('integration', undefined, request(apiKey, ip)), res).then(
        () => 'ok',
        (e: unknown) => (e instanceof DomainError ? e.code : String(e)),
      );
    const counters = guard.countersFor('integration', undefined, request(key, randomIp()));
    expect(counters).toHaveLength(1);
    expect(counters[0].key).not.toContain(key);
    expect([
      await attempt(key, randomIp()),
      await attempt(key, randomIp()),
      await attempt(key, randomIp()),
    ]).toEqual(['ok', 'ok', ErrorCode.RateLimited]);
    expect(await attempt(`${key}-other`, randomIp())).toBe('ok');
  });

  it('counts refusals per class on the metrics port', async () => {
    const text = (await call(a.metricsUrl, 'GET', '/metrics')).body as string;
    expect(text).toMatch(/mamori_rate_limit_refusals_total\{class="credential",scope="account"[^}]*\} [1-9]/);
    expect(text).toMatch(/mamori_rate_limit_refusals_total\{class="authenticated",scope="user"[^}]*\} [1-9]/);
  });
});
