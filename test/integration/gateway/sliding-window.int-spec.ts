import { GatewayEnv } from '@app/config';
import { DomainError, ErrorCode } from '@app/contracts';
import { createRedis } from '@app/messaging';
import { FakeClock, randomSuffix } from '@app/testing';
import { Counter, SlidingWindowLimiter, WINDOW_MS } from '@app/gateway/rate-limit/sliding-window.limiter';
import { redisPrefix } from './gateway-harness';

/** The limiter's script against the real Redis, time moved by a FakeClock. */
describe('SlidingWindowLimiter', () => {
  const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const config = { REDIS_PREFIX: redisPrefix() } as GatewayEnv;
  afterAll(() => redis.disconnect());

  /** A fresh limiter at the start of a window (plus `offsetMs`), with its own counter keys. */
  function setUp(offsetMs = 0): {
    clock: FakeClock;
    limiter: SlidingWindowLimiter;
    counter: (limit: number) => Counter;
  } {
    const start = Math.ceil(Date.now() / WINDOW_MS) * WINDOW_MS + offsetMs;
    const clock = new FakeClock(new Date(start));
    const id = randomSuffix();
    return {
      clock,
      limiter: new SlidingWindowLimiter(redis, config, clock),
      counter: (limit) => ({ key: `test:${id}:${limit}`, limit, scope: `limit-${limit}` }),
    };
  }

  async function allowedOf(
    limiter: SlidingWindowLimiter,
    counters: Counter[],
    tries: number,
  ): Promise<number> {
    let allowed = 0;
    for (let i = 0; i < tries; i++) {
      if ((await limiter.consume(counters)).allowed) {
        allowed++;
      }
    }
    return allowed;
  }

  it('allows the limit in a minute, then refuses with the wait until there is room', async () => {
    const { clock, limiter, counter } = setUp(10_000);
    const counters = [counter(10)];
    const first = await limiter.consume(counters);
    expect(first).toMatchObject({ allowed: true, limit: 10, remaining: 9, resetSeconds: 50 });
    expect(await allowedOf(limiter, counters, 12)).toBe(9);
    const refused = await limiter.consume(counters);
    expect(refused).toMatchObject({ allowed: false, remaining: 0, scope: 'limit-10' });
    // Full in this window: room again just after the next window starts (the 50 s left of this one),
    // when the first of these requests begins to slide out of the last minute.
    expect(refused.resetSeconds).toBe(51);
    clock.advance(50_000);
    expect((await limiter.consume(counters)).allowed).toBe(false);
    clock.advance(1_000);
    expect((await limiter.consume(counters)).allowed).toBe(true);
  });

  it('weighs the previous minute by how much of it still overlaps: no double burst at a window edge', async () => {
    const { clock, limiter, counter } = setUp(0);
    const counters = [counter(10)];
    expect(await allowedOf(limiter, counters, 10)).toBe(10);
    // Halfway through the next window, half of the previous one still counts: 5 more, not 10.
    clock.advance(WINDOW_MS + WINDOW_MS / 2);
    expect(await allowedOf(limiter, counters, 10)).toBe(5);
  });

  it('refuses when any counter is full, and then counts on none of them', async () => {
    const { limiter, counter } = setUp(0);
    const tight = counter(2);
    const loose = counter(100);
    expect(await allowedOf(limiter, [tight, loose], 5)).toBe(2);
    const verdict = await limiter.consume([loose]);
    // Only the 2 allowed requests were counted on the loose counter: this one is its third.
    expect(verdict).toMatchObject({ allowed: true, remaining: 97 });
  });

  it('answers 503 rather than letting requests through when Redis cannot count', async () => {
    const broken = createRedis('redis://127.0.0.1:1', {
      maxRetriesPerRequest: 0,
      lazyConnect: true,
      retryStrategy: () => null,
      connectTimeout: 500,
    });
    // Its failure is the outcome under test, not something to report.
    broken.on('error', () => undefined);
    const limiter = new SlidingWindowLimiter(broken, config, new FakeClock());
    const outcome = await limiter.consume([{ key: 'x', limit: 1, scope: 'x' }]).catch((e: unknown) => e);
    expect(outcome).toBeInstanceOf(DomainError);
    expect((outcome as DomainError).code).toBe(ErrorCode.ServiceUnavailable);
    broken.disconnect();
  });
});
