import { AuthEnv } from '@app/config';
import { FakeClock } from '@app/testing';
import { SecretHasher } from '../crypto/secret-hasher';
import { CapCounter, CapTake, SendCapStore } from './send-cap.store';
import { SendCaps } from './send-caps.service';

describe(SendCaps.name, () => {
  const config = {
    REDIS_PREFIX: 'mamori',
    TOKEN_HMAC_SECRET: 'x'.repeat(32),
    SEND_CAP_WINDOW_SECONDS: 900,
    SEND_CAP_PER_RECIPIENT: 5,
    SEND_CAP_PER_ACCOUNT: 10,
    SEND_CAP_RESET_MAILS: 3,
    PUSH_OPEN_REQUESTS_CAP: 3,
  } as AuthEnv;
  const clock = new FakeClock(new Date('2026-04-01T00:00:00Z'));
  let taken: CapCounter[][];
  let answer: CapTake;
  let sut: SendCaps;

  beforeEach(() => {
    taken = [];
    answer = { taken: true };
    const store = {
      take: async (counters: CapCounter[]) => {
        taken.push(counters);
        return answer;
      },
    } as unknown as SendCapStore;
    sut = new SendCaps(store, new SecretHasher(config), clock, config);
  });

  it('counts a code per recipient and per account, with the configured limits and window', async () => {
    const decision = await sut.takeCode('user-1', 'email', ['A@Example.com', 'b@example.com']);
    expect(decision.allowed).toBe(true);
    const [counters] = taken;
    expect(counters.map((c) => [c.limit, c.windowMs])).toEqual([
      [5, 900_000],
      [5, 900_000],
      [10, 900_000],
    ]);
    expect(counters[2].key).toBe('mamori:send-cap:code:account:user-1');
  });

  it('names a recipient only by a keyed hash, the same however the number or address was written', async () => {
    await sut.takeCode('u', 'sms', ['+819012345678']);
    await sut.takeCode('u', 'sms', ['+81 90-1234-5678']);
    await sut.takeCode('u', 'email', ['Taro@Example.com ']);
    await sut.takeCode('u', 'email', ['taro@example.com']);
    const [sms1, sms2, mail1, mail2] = taken.map((counters) => counters[0].key);
    expect(sms1).toBe(sms2);
    expect(mail1).toBe(mail2);
    expect(sms1).toMatch(/^mamori:send-cap:code:to:[0-9a-f]{64}$/);
    expect(`${sms1} ${mail1}`).not.toMatch(/9012345678|taro|example/i);
    // Another secret gives other keys: a hash table of all numbers does not reverse them.
    const other = new SendCaps(
      {
        take: async (counters: CapCounter[]) => {
          taken.push(counters);
          return answer;
        },
      } as unknown as SendCapStore,
      new SecretHasher({ ...config, TOKEN_HMAC_SECRET: 'y'.repeat(32) }),
      clock,
      config,
    );
    await other.takeCode('u', 'sms', ['+819012345678']);
    expect(taken[4][0].key).not.toBe(sms1);
  });

  it('names the refusing cap and rounds its wait up to whole seconds, at least 1', async () => {
    answer = { taken: false, counter: 1, waitMs: 1500 };
    expect(await sut.takeCode('u', 'sms', ['+819012345678'])).toEqual({
      allowed: false,
      refusal: { scope: 'account', retryAfter: 2 },
    });
    answer = { taken: false, counter: 0, waitMs: 0 };
    expect(await sut.takeResetMail('u', 'a@example.com')).toEqual({
      allowed: false,
      refusal: { scope: 'recipient', retryAfter: 1 },
    });
    expect(taken[1].map((c) => c.limit)).toEqual([3, 3]);
  });
});
