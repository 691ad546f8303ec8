import { randomInt } from 'node:crypto';
import { authEnvSchema } from '@app/config';
import { Answer, expectStatus } from '@app/testing';
import { AuditCapture } from './admin-harness';
import { AuthGateway } from './auth-gateway';
import { UserFixture } from './auth-test-app';

const MINUTE = 60 * 1000;

/** The caps as shipped: the schema's defaults, which this file runs with (the test run raises them). */
const DEFAULTS = authEnvSchema
  .pick({
    SEND_CAP_WINDOW_SECONDS: true,
    SEND_CAP_PER_RECIPIENT: true,
    SEND_CAP_PER_ACCOUNT: true,
    SEND_CAP_RESET_MAILS: true,
    PUSH_OPEN_REQUESTS_CAP: true,
  })
  .parse({});

/** A number no other test uses: the caps count per number across the whole run's Redis. */
function randomPhone(): string {
  return `+8190${String(randomInt(0, 100_000_000)).padStart(8, '0')}`;
}

function randomAddress(): string {
  return `cap${randomInt(0, 1_000_000_000)}@example.com`;
}

/**
 * NOTIF-7 send caps and push fatigue, through the gateway in front of the auth service, against the
 * run's real Redis (the counters) and PostgreSQL; the auth clock is a FakeClock, so the 15-minute
 * window is crossed without sleeping. What was queued for the notification service is read from
 * BullMQ: a message that is not there was never sent.
 */
describe('send caps and push fatigue (NOTIF-7)', () => {
  let platform: AuthGateway;
  let audit: AuditCapture;

  beforeAll(async () => {
    platform = await AuthGateway.create({ config: DEFAULTS });
    audit = await AuditCapture.start(platform);
  });
  afterAll(async () => {
    await audit.stop();
    await platform.close();
  });

  async function newUser(options: { phone?: string | null; email?: string } = {}): Promise<UserFixture> {
    return platform.auth.newUser({
      tenant: await platform.auth.newTenant(),
      mfaRequired: true,
      phone: options.phone === undefined ? randomPhone() : options.phone,
      ...(options.email ? { email: options.email } : {}),
    });
  }

  async function newFlow(user: UserFixture): Promise<string> {
    const first = await platform.passwordStep(user);
    if (first.status !== 'second_factor_required') {
      throw new Error(`expected second_factor_required, got ${first.status}`);
    }
    return first.flowId;
  }

  function challenge(flowId: string, method: 'sms' | 'email' | 'push'): Promise<Answer> {
    return platform.api('POST', `/auth/login/${flowId}/challenge`, { body: { method } });
  }

  function expectTooMany(answer: Answer, retryAfter?: number): void {
    expectStatus(answer, 429);
    expect(answer.body.error.code).toBe('too_many_messages');
    if (retryAfter === undefined) {
      expect(answer.body.error.details.retryAfter).toEqual(expect.any(Number));
      expect(answer.body.error.details.retryAfter).toBeGreaterThan(0);
    } else {
      expect(answer.body.error.details.retryAfter).toBe(retryAfter);
    }
  }

  async function smsQueuedTo(phone: string): Promise<number> {
    return (await platform.auth.queued('sms', { to: phone, template: 'security-code' })).length;
  }

  it('ships with 5 codes per recipient and 10 per account in 15 minutes, 3 reset mails, 3 open requests', () => {
    expect(DEFAULTS).toEqual({
      SEND_CAP_WINDOW_SECONDS: 900,
      SEND_CAP_PER_RECIPIENT: 5,
      SEND_CAP_PER_ACCOUNT: 10,
      SEND_CAP_RESET_MAILS: 3,
      PUSH_OPEN_REQUESTS_CAP: 3,
    });
  });

  it('6 login flows for one phone within 15 minutes: the 6th challenge is 429 and only 5 SMS are queued', async () => {
    const user = await newUser();
    const phone = user.phone as string;
    for (let i = 0; i < 5; i++) {
      expectStatus(await challenge(await newFlow(user), 'sms'), 202);
      platform.auth.clock.advance(MINUTE);
    }
    // The first code was 5 minutes ago: its place frees 10 minutes from now.
    const sixth = await newFlow(user);
    expectTooMany(await challenge(sixth, 'sms'), 10 * 60);
    expect(await smsQueuedTo(phone)).toBe(5);

    const capped = await audit.events({ actorUserId: user.id, type: 'auth.send_cap.reached' });
    expect(capped.map((e) => [e.target, e.outcome, e.reasons])).toEqual([
      [{ type: 'login_flow', id: sixth }, 'denied', ['sms', 'recipient', 'login']],
    ]);
    expect(JSON.stringify(capped)).not.toContain(phone.slice(1));
    // The counters name the number only by a keyed hash.
    const keys = await platform.auth.redis.keys(`${platform.auth.redisPrefix}:send-cap:*`);
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.filter((k) => k.includes(phone.slice(3)))).toEqual([]);
    expect(keys).toContain(`${platform.auth.redisPrefix}:send-cap:code:account:${user.id}`);

    // The window slides: once the first code is 15 minutes old, one more fits, and only one.
    platform.auth.clock.advance(10 * 60 * 1000 - 1000);
    expectTooMany(await challenge(sixth, 'sms'), 1);
    platform.auth.clock.advance(1000);
    expectStatus(await challenge(sixth, 'sms'), 202);
    expect(await smsQueuedTo(phone)).toBe(6);
    expectTooMany(await challenge(await newFlow(user), 'sms'), 60);
  });

  it('counts per phone number whatever the account, and per number only', async () => {
    const shared = randomPhone();
    const [first, second, elsewhere] = [
      await newUser({ phone: shared }),
      await newUser({ phone: shared }),
      await newUser(),
    ];
    for (const user of [first, first, first, second, second]) {
      expectStatus(await challenge(await newFlow(user), 'sms'), 202);
    }
    expectTooMany(await challenge(await newFlow(second), 'sms'));
    expectTooMany(await challenge(await newFlow(first), 'sms'));
    expect(await smsQueuedTo(shared)).toBe(5);
    // Another number, and the same accounts' e-mail, are untouched.
    expectStatus(await challenge(await newFlow(elsewhere), 'sms'), 202);
    expectStatus(await challenge(await newFlow(second), 'email'), 202);
  });

  it('counts per account across all its flows, step-up flows included, whatever the number', async () => {
    const user = await newUser();
    // A session (1 SMS), then step-up flows from it: 5 codes by e-mail.
    const { accessToken } = await platform.login(user, { method: 'sms' });
    platform.staleSecondStep();
    for (let i = 0; i < 5; i++) {
      const refused = await platform.api('POST', '/me/mfa/approver', {
        token: accessToken,
        body: { name: 'Phone' },
      });
      expectStatus(refused, 403);
      expect(refused.body.error.code).toBe('step_up_required');
      expectStatus(await challenge(refused.body.error.details.flowId, 'email'), 202);
    }
    // 4 more SMS logins: 10 codes for the account within the window.
    for (let i = 0; i < 4; i++) {
      expectStatus(await challenge(await newFlow(user), 'sms'), 202);
    }
    // A new number changes nothing: the account's own cap is reached.
    const newPhone = randomPhone();
    await platform.auth.dataSource.query(`UPDATE auth.app_user SET phone = $2 WHERE id = $1`, [
      user.id,
      newPhone,
    ]);
    const flowId = await newFlow(user);
    expectTooMany(await challenge(flowId, 'sms'));
    expect(await smsQueuedTo(newPhone)).toBe(0);
    const stepUp = await platform.api('POST', '/me/mfa/approver', {
      token: accessToken,
      body: { name: 'Phone' },
    });
    expectTooMany(await challenge(stepUp.body.error.details.flowId, 'email'));

    const capped = await audit.events({ actorUserId: user.id, type: 'auth.send_cap.reached' });
    expect(capped.map((e) => e.reasons)).toEqual([
      ['sms', 'account', 'login'],
      ['email', 'recipient', 'step_up'],
    ]);
    expect(await platform.auth.queued('email', { userId: user.id, template: 'security-code' })).toHaveLength(
      5,
    );
  });

  it('lets no more than the cap through when challenges for one phone race', async () => {
    const user = await newUser();
    const flows: string[] = [];
    for (let i = 0; i < 12; i++) {
      flows.push(await newFlow(user));
    }
    const answers = await Promise.all(flows.map((flowId) => challenge(flowId, 'sms')));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([...Array(5).fill(202), ...Array(7).fill(429)]);
    expect(await smsQueuedTo(user.phone as string)).toBe(5);
  });

  it("withdraws a resent code's predecessor from the queue: only the live code of a flow waits to be sent", async () => {
    const user = await newUser();
    const flowId = await newFlow(user);
    expectStatus(await challenge(flowId, 'sms'), 202);
    const [first] = await platform.auth.queued('sms', { userId: user.id });
    platform.auth.clock.advance(31_000);
    expectStatus(await challenge(flowId, 'sms'), 202);

    const waiting = await platform.auth.queued('sms', { userId: user.id });
    expect(waiting).toHaveLength(1);
    expect(waiting[0].messageId).not.toBe(first.messageId);
    expect(waiting[0].liveSlot).toBe(`login-flow:${flowId}`);
    expect(first.liveSlot).toBe(`login-flow:${flowId}`);
  });

  describe('password reset mails', () => {
    function requestReset(user: UserFixture): Promise<Answer> {
      return platform.api('POST', '/auth/password-reset', {
        body: { userId: user.userId, email: user.email },
      });
    }

    async function linksTo(address: string): Promise<number> {
      return (await platform.auth.queued('email', { to: address, template: 'password-reset-link' })).length;
    }

    it('mails at most 3 per account in 15 minutes: the 4th is answered 202 like any other, not mailed, audited', async () => {
      const user = await newUser();
      for (let i = 0; i < 4; i++) {
        const answer = await requestReset(user);
        expectStatus(answer, 202);
        expect(answer.body).toEqual({ status: 'accepted' });
      }
      expect(await linksTo(user.email)).toBe(3);
      const capped = await audit.events({ actorUserId: user.id, type: 'auth.send_cap.reached' });
      expect(capped).toHaveLength(1);
      expect(capped[0].reasons).toContain('password-reset-link');
      expect(JSON.stringify(capped)).not.toContain(user.email);

      platform.auth.clock.advance(15 * MINUTE);
      expectStatus(await requestReset(user), 202);
      expect(await linksTo(user.email)).toBe(4);
    });

    it('mails at most 3 to one address, whichever accounts it belongs to', async () => {
      const address = randomAddress();
      const first = await newUser({ email: address });
      const second = await newUser({ email: address });
      for (const user of [first, first, second, second]) {
        expectStatus(await requestReset(user), 202);
      }
      const mails = await platform.auth.queued('email', { to: address, template: 'password-reset-link' });
      expect(mails.map((m) => m.userId)).toEqual([first.id, first.id, second.id]);
      expect(await audit.events({ actorUserId: second.id, type: 'auth.send_cap.reached' })).toHaveLength(1);
    });
  });

  describe('app approval', () => {
    async function userWithApprover(): Promise<{ user: UserFixture; approverToken: string }> {
      const user = await newUser({ phone: null });
      const { accessToken } = await platform.login(user, { method: 'email' });
      const answer = await platform.api('POST', '/me/mfa/approver', {
        token: accessToken,
        body: { name: 'My phone' },
      });
      expectStatus(answer, 201);
      return { user, approverToken: answer.body.approverToken };
    }

    function appRequests(approverToken: string): Promise<Answer> {
      return platform.api('GET', '/approver/requests', { headers: { 'x-approver-token': approverToken } });
    }

    function deny(approverToken: string, id: string): Promise<Answer> {
      return platform.api('POST', `/approver/requests/${id}`, {
        headers: { 'x-approver-token': approverToken },
        body: { decision: 'deny' },
      });
    }

    it('keeps at most 3 requests of a user open at once; a decision frees a place', async () => {
      const { user, approverToken } = await userWithApprover();
      const flows = [await newFlow(user), await newFlow(user), await newFlow(user), await newFlow(user)];
      for (const flowId of flows.slice(0, 3)) {
        expectStatus(await challenge(flowId, 'push'), 202);
      }
      // The oldest request expires in 2 minutes: then a place is free.
      expectTooMany(await challenge(flows[3], 'push'), 120);
      const listed = await appRequests(approverToken);
      expect(listed.body).toHaveLength(3);

      // A new request on a flow that has one replaces it: still 3 open, so it is allowed.
      platform.auth.clock.advance(31_000);
      expectStatus(await challenge(flows[0], 'push'), 202);
      expect((await appRequests(approverToken)).body).toHaveLength(3);

      expectStatus(await deny(approverToken, listed.body[1].id), 200);
      expectStatus(await challenge(flows[3], 'push'), 202);
      expect((await appRequests(approverToken)).body).toHaveLength(3);
      const capped = await audit.events({ actorUserId: user.id, type: 'auth.send_cap.reached' });
      expect(capped.map((e) => e.reasons)).toEqual([['push', 'open_requests', 'login']]);
    });

    it('counts a denial at the app at once toward the lock: 10 denials lock the account, no verify needed', async () => {
      const { user, approverToken } = await userWithApprover();
      for (let i = 0; i < 10; i++) {
        const flowId = await newFlow(user);
        expectStatus(await challenge(flowId, 'push'), 202);
        const [request] = (await appRequests(approverToken)).body;
        expectStatus(await deny(approverToken, request.id), 200);
        if (i === 8) {
          // 9 denials: not locked yet, and a verify of the denied flow is answered without counting.
          const verify = await platform.api('POST', `/auth/login/${flowId}/verify`, {
            body: { method: 'push' },
          });
          expect(verify.status).toBe(401);
          expect(verify.body.error.code).toBe('invalid_code');
        }
      }
      const refused = await platform.api('POST', '/auth/login', {
        body: { userId: user.userId, password: user.password },
      });
      expect(refused.status).toBe(423);
      expect(refused.body.error.code).toBe('account_locked');
      const locked = await audit.events({ actorUserId: user.id, type: 'auth.login.locked_out' });
      expect(locked.map((e) => e.reasons)).toEqual([['code_failures']]);
      expect(await audit.events({ actorUserId: user.id, type: 'auth.second_factor.failed' })).toHaveLength(
        10,
      );
    });
  });
});
