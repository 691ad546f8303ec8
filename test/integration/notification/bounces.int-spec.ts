import { randomBytes, randomUUID } from 'node:crypto';
import { ImapFlow } from 'imapflow';
import { apiKeyHash, CaseUpdateParams, IntegrationKeyRecord } from '@app/contracts';
import {
  dovecotBinary,
  FakeClock,
  natsUserEnv,
  PrivateDovecot,
  SmtpSink,
  startPrivateDovecot,
  TcpProxy,
  waitFor,
} from '@app/testing';
import { dsnFixture, DsnFixture } from '@app/notification/bounces/fixtures';
import { ImapBounceReader, PROCESSED_KEYWORD } from '@app/notification/bounces/imap-bounce.reader';
import { IntegrationKeyStore } from '@app/gateway/integrations/integration-key.store';
import { User } from '@app/auth/users/user.entity';
import { AuthGateway } from '../auth/auth-gateway';
import { UserFixture } from '../auth/auth-test-app';
import { RunningGateway } from '../gateway/gateway-harness';
import { newCode, newJob, NotificationTestApp, uniqueRedisPrefix } from './support/notification-test-app';

jest.setTimeout(90_000);

const SECRET = `bounce-test-secret-${randomBytes(16).toString('hex')}`;
const BOUNCE_ADDRESS = 'bounces@mamori.test';
const SOFT_DAYS = 3;
const DAY = 24 * 60 * 60 * 1000;

const binary = dovecotBinary();
if ('reason' in binary) {
  // Said once, plainly, where the run's output shows it.
  console.warn(`bounces.int-spec: the IMAP bounce mailbox tests are skipped: ${binary.reason}`);
}
const withDovecot = 'bin' in binary ? describe : describe.skip;

/**
 * NOTIF-6 against real peers: auth and the gateway (over a NATS of this file's own, with Mamori's
 * NATS permissions), the notification service with its workers, a real SMTP server that refuses
 * chosen addresses, and a real Dovecot holding the DSNs MTAs write. What a user and an operator can
 * see — `GET /me/security`, the message's status, the audit facts — is what the tests look at.
 */
describe('bounces (NOTIF-6)', () => {
  const prefix = uniqueRedisPrefix();
  const smtp = new SmtpSink();
  const clock = new FakeClock(new Date());
  let gw: AuthGateway;
  let sut: NotificationTestApp;
  let dovecot: PrivateDovecot | undefined;
  /** Between the reader and Dovecot, so a test can cut the reader's connection. */
  let imapProxy: TcpProxy | undefined;
  let apiKey: string;

  beforeAll(async () => {
    const mail = await smtp.start();
    if ('bin' in binary) {
      dovecot = await startPrivateDovecot(binary.bin);
      imapProxy = new TcpProxy(dovecot.host, dovecot.port);
      await imapProxy.start();
    }
    gw = await AuthGateway.create({ config: { RECIPIENT_HASH_SECRET: SECRET } });
    sut = await NotificationTestApp.create({
      clock,
      rpcNatsUrl: gw.natsUrl,
      config: {
        REDIS_PREFIX: prefix,
        NODE_ENV: 'test',
        // Its requests to auth go over this file's NATS, as the notification user.
        NATS_URL: gw.natsUrl,
        ...natsUserEnv('notification'),
        SMTP_URL: mail.url,
        SMTP_REQUIRE_TLS: 'false',
        RETRY_MAX_DELAY_MS: 200,
        RETRY_ATTEMPTS: 2,
        RECIPIENT_HASH_SECRET: SECRET,
        BOUNCE_ADDRESS,
        BOUNCE_SOFT_DAYS: SOFT_DAYS,
        ...(dovecot && imapProxy
          ? { BOUNCE_IMAP_URL: imapProxy.rewrite(dovecot.url), BOUNCE_IMAP_POLL_MS: 200 }
          : {}),
      },
    });
    apiKey = await mailEventsKey();
  });

  afterAll(async () => {
    await sut?.close();
    await gw?.close();
    await imapProxy?.stop();
    await dovecot?.stop();
    await smtp.stop();
    await NotificationTestApp.purgeRedis(prefix);
  });

  beforeEach(() => smtp.clear());

  /** A user of a tenant with a token of a live session (taken before its address can bounce). */
  async function signedInUser(): Promise<{ user: UserFixture; token: string }> {
    const tenant = await gw.auth.newTenant();
    const user = await gw.auth.newUser({
      tenant,
      email: `b${randomBytes(5).toString('hex')}@example.jp`,
      phone: '+819012345678',
      // A second step at every login, so a code is owed and its channels are offered.
      mfaRequired: true,
    });
    const login = await gw.login(user, { method: 'sms' });
    return { user, token: login.accessToken };
  }

  async function security(token: string): Promise<{ email: { undeliverable: boolean } }> {
    const answer = await gw.api('GET', '/me/security', { token });
    expect(answer.status).toBe(200);
    return answer.body as { email: { undeliverable: boolean } };
  }

  async function waitUndeliverable(user: UserFixture, expected = true, timeoutMs = 10_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const row = await gw.auth.dataSource.manager.findOneByOrFail(User, { id: user.id });
      if (row.emailUndeliverable === expected) {
        return;
      }
      if (Date.now() > deadline) {
        throw new Error(`email_undeliverable is ${row.emailUndeliverable}, not ${expected}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  /** Sends a security code to the user's address and waits until the sink took it. */
  async function sentCode(user: UserFixture): Promise<string> {
    const job = await sut.enqueue(
      newJob('security-code', {
        channel: 'email',
        language: 'en',
        to: [user.email],
        userId: user.id,
        tenants: [user.tenant as string],
        params: { code: newCode(), expiresInMinutes: 5 },
      }),
    );
    await sut.waitForStatus(job.data.messageId, 'sent');
    return job.data.messageId;
  }

  /** An integration key with scope mail-events:write, as the gateway holds one the case service made. */
  async function mailEventsKey(): Promise<string> {
    const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
    const keyPrefix = Array.from(randomBytes(12), (b) => alphabet[b % 32]).join('');
    const key = `mmk_${keyPrefix}_${randomBytes(32).toString('base64url').slice(0, 43)}`;
    const record: IntegrationKeyRecord = {
      id: randomUUID(),
      name: 'mail provider',
      prefix: keyPrefix,
      keyHash: apiKeyHash(key),
      scopes: ['mail-events:write'],
      tenants: [],
      revoked: false,
    };
    const gateway = (gw as unknown as { gateway: RunningGateway }).gateway;
    await gateway.app.get(IntegrationKeyStore, { strict: false }).remember(record);
    return key;
  }

  describe('the SMTP server refuses the address at send time', () => {
    it('550 5.1.1: the message is bounced, the address undeliverable, codes by e-mail refused', async () => {
      const { user, token } = await signedInUser();
      expect((await security(token)).email.undeliverable).toBe(false);
      smtp.refuse(user.email, 550, '5.1.1 <x>: Recipient address rejected: User unknown');

      const job = await sut.enqueue(
        newJob('security-code', {
          channel: 'email',
          language: 'en',
          to: [user.email],
          userId: user.id,
          tenants: [user.tenant as string],
          params: { code: newCode(), expiresInMinutes: 5 },
        }),
      );

      const record = await sut.waitForStatus(job.data.messageId, 'bounced');
      expect(record).toMatchObject({ attempts: 1, last_error: 'bounce_5.1.1' });
      await waitUndeliverable(user);
      expect((await security(token)).email.undeliverable).toBe(true);
      const events = await sut.auditEvents(job.data.messageId);
      expect(events.map((e) => e.type)).toEqual(['notification.message.bounced']);
      expect(events[0].reasons).toEqual(
        expect.arrayContaining(['bounce:hard', 'kind:no_such_mailbox', 'status:5.1.1', 'source:smtp']),
      );
      expect(JSON.stringify(events)).not.toContain(user.email);

      // AUTH-6: a code by e-mail to that address now fails with email_unavailable.
      const flow = await gw.passwordStep(user);
      if (flow.status !== 'second_factor_required') {
        throw new Error(`expected a second step, got ${flow.status}`);
      }
      const challenge = await gw.api('POST', `/auth/login/${flow.flowId}/challenge`, {
        body: { method: 'email' },
      });
      expect(challenge.status).toBe(422);
      expect(challenge.body.error.code).toBe('email_unavailable');
    });

    it('452 4.2.2 is soft: retried, and hard once the address has soft-bounced for BOUNCE_SOFT_DAYS', async () => {
      const { user } = await signedInUser();
      smtp.refuse(user.email, 452, '4.2.2 Mailbox full');
      const notice = () =>
        sut.enqueue(
          newJob('case-update', {
            channel: 'email',
            language: 'en',
            to: [user.email],
            userId: user.id,
            params: caseUpdateParams(),
          }),
        );

      // Refused, retried (RETRY_ATTEMPTS), failed: soft bounces, the address still deliverable.
      const first = await notice();
      const failed = await sut.waitForStatus(first.data.messageId, 'failed');
      expect(failed).toMatchObject({ attempts: 2, last_error: 'smtp_452' });
      const softFacts = await sut.auditEvents(first.data.messageId);
      expect(softFacts.filter((f) => f.type === 'notification.message.bounced')).toHaveLength(2);
      expect(softFacts[0].reasons).toEqual(expect.arrayContaining(['bounce:soft', 'kind:mailbox_full']));
      await waitUndeliverable(user, false, 0);

      // Two days on, still full: still soft.
      clock.advance(2 * DAY);
      const second = await notice();
      await sut.waitForStatus(second.data.messageId, 'failed');
      await waitUndeliverable(user, false, 0);

      // Past BOUNCE_SOFT_DAYS of soft bounces: the next refusal counts as hard.
      clock.advance(DAY + 60_000);
      const third = await notice();
      const bounced = await sut.waitForStatus(third.data.messageId, 'bounced');
      expect(bounced.attempts).toBe(1);
      await waitUndeliverable(user);
      const facts = await sut.auditEvents(third.data.messageId);
      expect(facts.at(-1)?.reasons).toEqual(expect.arrayContaining(['bounce:hard', 'soft_for_days']));
    });

    it('a bounce of another address of the user (a tenant notification address) leaves the account address alone', async () => {
      const { user } = await signedInUser();
      const other = `n${randomBytes(5).toString('hex')}@example.jp`;
      smtp.refuse(other);
      const job = await sut.enqueue(
        newJob('case-update', {
          channel: 'email',
          language: 'en',
          to: [other],
          userId: user.id,
          params: caseUpdateParams(),
        }),
      );

      await sut.waitForStatus(job.data.messageId, 'bounced');
      // Auth was asked, and answered: the hash is not the user's address.
      await waitFor(async () => {
        const rows: { applied_at: Date | null }[] = await sut.dataSource.query(
          `SELECT applied_at FROM notification.bounce_mark WHERE message_id = $1`,
          [job.data.messageId],
        );
        return rows[0]?.applied_at != null;
      });
      await waitUndeliverable(user, false, 0);
    });

    it('every e-mail carries a VERP return path naming its message', async () => {
      const { user } = await signedInUser();
      const messageId = await sentCode(user);
      const mail = smtp.messages().find((m) => m.to.includes(user.email));
      expect(mail?.mailFrom).toBe(`bounces+${messageId}@mamori.test`);
    });
  });

  withDovecot('DSNs in the bounce mailbox (IMAP)', () => {
    let imap: ImapFlow;

    beforeAll(async () => {
      imap = new ImapFlow({
        host: dovecot!.host,
        port: dovecot!.port,
        secure: false,
        auth: { user: dovecot!.user, pass: dovecot!.password },
        logger: false,
      });
      await imap.connect();
    });

    afterAll(async () => {
      await imap?.logout().catch(() => undefined);
    });

    async function deliver(fixture: DsnFixture, messageId: string, recipient: string): Promise<number> {
      const raw = dsnFixture(fixture, {
        messageId,
        recipient,
        bounceTo: `bounces+${messageId}@mamori.test`,
      });
      const appended = await imap.append('INBOX', raw);
      if (!appended) {
        throw new Error('APPEND refused');
      }
      sut.get(ImapBounceReader).poke();
      return appended.uid as number;
    }

    async function flagsOf(uid: number): Promise<Set<string>> {
      const lock = await imap.getMailboxLock('INBOX');
      try {
        const message = await imap.fetchOne(String(uid), { flags: true }, { uid: true });
        return message ? (message.flags ?? new Set()) : new Set();
      } finally {
        lock.release();
      }
    }

    it('a Postfix "user unknown" DSN bounces the message and marks the address, once', async () => {
      const { user, token } = await signedInUser();
      const messageId = await sentCode(user);

      const uid = await deliver('postfix-user-unknown', messageId, user.email);

      await sut.waitForStatus(messageId, 'bounced');
      await waitUndeliverable(user);
      expect((await security(token)).email.undeliverable).toBe(true);
      await waitFor(async () => (await flagsOf(uid)).has(PROCESSED_KEYWORD));
      expect(await flagsOf(uid)).toEqual(new Set(['\\Seen', PROCESSED_KEYWORD]));
      const facts = await sut.auditEvents(messageId);
      expect(facts.filter((f) => f.type === 'notification.message.bounced')).toHaveLength(1);
      expect(facts.at(-1)?.reasons).toEqual(expect.arrayContaining(['source:imap', 'status:5.1.1']));
    });

    it('a Gmail DSN found only by the VERP address it was returned to', async () => {
      const { user } = await signedInUser();
      const messageId = await sentCode(user);
      const raw = dsnFixture('gmail-no-such-user', {
        messageId: 'not-ours',
        recipient: user.email,
        bounceTo: `bounces+${messageId}@mamori.test`,
      }).replace(/X-Mamori-Message-Id: .*\r\n/, '');
      await imap.append('INBOX', raw);
      sut.get(ImapBounceReader).poke();

      await sut.waitForStatus(messageId, 'bounced');
      await waitUndeliverable(user);
    });

    it('an Exim delay warning is soft: the message stays sent, the address deliverable', async () => {
      const { user } = await signedInUser();
      const messageId = await sentCode(user);

      const uid = await deliver('exim-delayed-over-quota', messageId, user.email);

      await waitFor(async () => (await flagsOf(uid)).has(PROCESSED_KEYWORD));
      expect((await sut.message(messageId))?.status).toBe('sent');
      await waitUndeliverable(user, false, 0);
      const facts = await sut.auditEvents(messageId);
      expect(facts.at(-1)).toMatchObject({ type: 'notification.message.bounced', outcome: 'info' });
      expect(facts.at(-1)?.reasons).toEqual(expect.arrayContaining(['bounce:soft', 'source:imap']));
    });

    it('the reader connects again by itself after losing the server', async () => {
      const { user } = await signedInUser();
      const messageId = await sentCode(user);
      await imapProxy!.stop();

      await deliver('postfix-user-unknown', messageId, user.email);
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect((await sut.message(messageId))?.status).toBe('sent');

      await imapProxy!.start();
      await sut.waitForStatus(messageId, 'bounced', 15_000);
      await waitUndeliverable(user);
    });

    it('mail that is no report is looked at once and left alone', async () => {
      const appended = await imap.append(
        'INBOX',
        'From: someone@example.jp\r\nTo: bounces@mamori.test\r\nSubject: hello\r\n\r\nnot a bounce\r\n',
      );
      sut.get(ImapBounceReader).poke();
      await waitFor(async () => (await flagsOf((appended as { uid: number }).uid)).has(PROCESSED_KEYWORD));
    });
  });

  describe('POST /integrations/mail-events', () => {
    function post(body: string | object, contentType: string, key = apiKey) {
      return fetch(`${gw.url}/api/v1/integrations/mail-events`, {
        method: 'POST',
        headers: { 'content-type': contentType, 'x-api-key': key },
        body: typeof body === 'string' ? body : JSON.stringify(body),
      });
    }

    it('a raw message/rfc822 DSN → 202, the message bounced and the address undeliverable', async () => {
      const { user } = await signedInUser();
      const messageId = await sentCode(user);
      const raw = dsnFixture('gmail-no-such-user', {
        messageId,
        recipient: user.email,
        bounceTo: `bounces+${messageId}@mamori.test`,
      });

      const answer = await post(raw, 'message/rfc822');

      expect(answer.status).toBe(202);
      expect(await answer.json()).toEqual({ status: 'recorded' });
      expect((await sut.message(messageId))?.status).toBe('bounced');
      await waitUndeliverable(user);
    });

    it('JSON {messageId, type: hard} → 202 and applied; {recipient, type: complaint} → recorded, no mark', async () => {
      const { user } = await signedInUser();
      const messageId = await sentCode(user);

      const complaint = await post({ recipient: user.email, type: 'complaint' }, 'application/json');
      expect(complaint.status).toBe(202);
      expect((await sut.message(messageId))?.status).toBe('sent');
      await waitUndeliverable(user, false, 0);

      const hard = await post({ messageId, type: 'hard' }, 'application/json');
      expect(hard.status).toBe(202);
      expect((await sut.message(messageId))?.status).toBe('bounced');
      await waitUndeliverable(user);
      const facts = (await sut.auditEvents(messageId)).filter(
        (f) => f.type === 'notification.message.bounced',
      );
      expect(facts.map((f) => f.reasons?.find((r) => r.startsWith('bounce:')))).toEqual([
        'bounce:complaint',
        'bounce:hard',
      ]);
    });

    it('bad input is 400, an oversized DSN 413, a missing key 401', async () => {
      expect((await post({ type: 'bounced' }, 'application/json')).status).toBe(400);
      expect((await post({ type: 'hard' }, 'application/json')).status).toBe(400);
      expect((await post({ messageId: 'x', type: 'hard', extra: 1 }, 'application/json')).status).toBe(400);
      expect((await post('hello', 'text/plain')).status).toBe(400);
      expect((await post('', 'message/rfc822')).status).toBe(400);
      expect((await post('x'.repeat(1024 * 1024 + 1), 'message/rfc822')).status).toBe(413);
      const noKey = await fetch(`${gw.url}/api/v1/integrations/mail-events`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ messageId: 'x', type: 'hard' }),
      });
      expect(noKey.status).toBe(401);
      // A report that names no message of ours is accepted and ignored.
      const stranger = await post({ messageId: randomUUID(), type: 'hard' }, 'application/json');
      expect(stranger.status).toBe(202);
      expect(await stranger.json()).toEqual({ status: 'ignored' });
    });
  });
});

function caseUpdateParams(): CaseUpdateParams {
  return {
    caseNumber: 'CS0000123',
    event: 'status_changed',
    subject: 'Suspicious login',
    status: 'In progress',
  };
}
