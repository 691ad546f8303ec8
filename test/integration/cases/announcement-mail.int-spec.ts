import { randomInt } from 'node:crypto';
import { DirectoryMember, DirectoryMembersPage, Language, OpsAnnouncementView } from '@app/contracts';
import { RpcClient } from '@app/messaging';
import { expectStatus, SmtpSink } from '@app/testing';
import { AnnouncementMail } from '@app/case-management/announcements/announcement-mail';
import { AnnouncementsService } from '@app/case-management/announcements/announcements.service';
import {
  newCode,
  newJob,
  NotificationTestApp,
  uniqueRedisPrefix,
} from '../notification/support/notification-test-app';
import { CasePlatform } from './case-platform';

jest.setTimeout(120_000);

const MAIL_FROM = 'Security Advisory Center <noreply@mamori.test>';

/**
 * CASE-11 announcement e-mail end to end: the gateway, the case service and auth (the directory)
 * publish; the notification service's workers deliver to a real SMTP server. All of them share one
 * Redis prefix of this file's own, so no other file's workers take these jobs.
 */
describe('announcement e-mail (CASE-11)', () => {
  const prefix = uniqueRedisPrefix();
  const smtp = new SmtpSink();
  let platform: CasePlatform;
  let notification: NotificationTestApp;
  let ops: string;

  beforeAll(async () => {
    const mail = await smtp.start();
    platform = await CasePlatform.create({ REDIS_PREFIX: prefix });
    notification = await NotificationTestApp.create({
      config: {
        REDIS_PREFIX: prefix,
        NODE_ENV: 'test',
        SMTP_URL: mail.url,
        SMTP_REQUIRE_TLS: 'false',
        MAIL_FROM,
      },
    });
    ops = await platform.operator();
  });

  afterAll(async () => {
    await platform?.close();
    await notification?.close();
    await smtp.stop();
    await NotificationTestApp.purgeRedis(prefix);
  });

  it('mails only the audience, each user once in their language, while security codes still go first', async () => {
    const auth = platform.auth;
    const named = await auth.newTenant();
    const contracting = await auth.newTenant();
    const outside = await auth.newTenant();
    const service = await platform.contract(ops, contracting);
    await platform.contract(ops, outside);

    // A few hundred users: members of the named tenant, of a tenant contracting the service (both
    // the audience), of both the audience and another tenant (mailed once), and outsiders.
    const expected = new Map<string, Language>();
    const outsiders = new Set<string>();
    const user = async (tenants: string[], inAudience: boolean, loginDisabled = false) => {
      const language: Language = randomInt(2) === 0 ? 'ja' : 'en';
      const made = await auth.newUser({
        tenants: tenants.map((tenant) => ({ tenant, role: 'user' as const })),
        language,
        password: null,
        loginDisabled,
      });
      if (inAudience && !loginDisabled) {
        expected.set(made.email, language);
      } else {
        outsiders.add(made.email);
      }
    };
    for (let i = 0; i < 130; i += 1) {
      await user([named.number], true);
      await user([contracting.number], true);
    }
    for (let i = 0; i < 10; i += 1) {
      await user([named.number, outside.number], true);
      await user([outside.number, contracting.number], true);
      await user([outside.number], false);
    }
    await user([named.number], true, true);
    expect(expected.size).toBe(280);

    const started = Date.now();
    const published = await platform.api('POST', '/ops/announcements', {
      token: ops,
      body: {
        title: 'Scheduled maintenance',
        body: '<p>The portal is <b>unavailable</b> on 12 May from 02:00 to 03:00.</p>',
        banner: true,
        from: '2026-05-01T00:00:00+09:00',
        to: '2026-05-13T00:00:00+09:00',
        audience: { tenants: [named.number], services: [service] },
        email: true,
      },
    });
    const publishMs = Date.now() - started;
    expectStatus(published, 201);
    const announcement = published.body as OpsAnnouncementView;
    expect(announcement.mailedAt).toEqual(expect.any(String));

    // While the bulk is being delivered, a security code queued now overtakes what is still waiting.
    const isAnnouncement = (m: { subject: string }) => /Scheduled maintenance/.test(m.subject);
    await smtp.waitFor(isAnnouncement, 20_000);
    const code = newCode();
    const codeQueued = Date.now();
    const job = await notification.enqueue(
      newJob('security-code', { channel: 'email', language: 'en', params: { code, expiresInMinutes: 5 } }),
      'code',
    );
    const codeMail = await smtp.waitFor((m) => m.to.includes(job.data.to[0]), 10_000);
    const codeMs = codeMail.receivedAt.getTime() - codeQueued;
    const announcementsBeforeCode = smtp
      .messages()
      .filter((m) => isAnnouncement(m) && m.receivedAt < codeMail.receivedAt).length;

    await platform.cases.get(AnnouncementsService).lastMail;
    await waitUntil(() => smtp.messages().filter(isAnnouncement).length >= expected.size, 60_000);
    const mails = smtp.messages().filter(isAnnouncement);
    console.log(
      `announcement mail: publish answered in ${publishMs} ms; a code queued during the bulk arrived in ${codeMs} ms, ` +
        `after ${announcementsBeforeCode} of ${expected.size} announcement mails`,
    );
    expect(publishMs).toBeLessThan(3000);
    expect(codeMs).toBeLessThan(3000);
    expect(announcementsBeforeCode).toBeLessThan(expected.size);

    // Exactly the audience, once each, in each one's language.
    const received = new Map<string, string[]>();
    for (const mail of mails) {
      for (const to of mail.to) {
        received.set(to, [...(received.get(to) ?? []), mail.subject]);
      }
    }
    expect([...received.keys()].filter((to) => outsiders.has(to))).toEqual([]);
    expect([...received.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [to, language] of expected) {
      expect([to, received.get(to)]).toEqual([
        to,
        [language === 'ja' ? '【お知らせ】Scheduled maintenance' : '[Announcement] Scheduled maintenance'],
      ]);
    }
    const sample = mails[0];
    expect(sample.text).toContain('The portal is unavailable on 12 May from 02:00 to 03:00.');
    expect(sample.text).not.toContain('<b>');

    // Asking again on an edit mails nobody: an announcement is mailed once.
    const edited = await platform.api('PUT', `/ops/announcements/${announcement.id}`, {
      token: ops,
      body: {
        title: 'Scheduled maintenance',
        body: '<p>Moved to 13 May.</p>',
        banner: true,
        from: '2026-05-01T00:00:00+09:00',
        to: '2026-05-14T00:00:00+09:00',
        audience: { tenants: [named.number], services: [service] },
        email: true,
      },
    });
    expectStatus(edited, 200);
    expect((edited.body as OpsAnnouncementView).mailedAt).toBe(announcement.mailedAt);
    await platform.cases.get(AnnouncementsService).lastMail;
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect(smtp.messages().filter(isAnnouncement)).toHaveLength(expected.size);
  });

  it('resumes a mailing a stopped replica left, after the last user it had queued', async () => {
    const tenant = await platform.auth.newTenant();
    const users = new Map<string, string>();
    for (let i = 0; i < 30; i += 1) {
      const made = await platform.auth.newUser({ tenant, password: null, language: 'en' });
      users.set(made.id, made.email);
    }
    const published = await platform.api('POST', '/ops/announcements', {
      token: ops,
      body: {
        title: 'Resumed notice',
        body: '<p>x</p>',
        banner: false,
        from: '2026-05-01T00:00:00Z',
        to: '2026-05-02T00:00:00Z',
        audience: { tenants: [tenant.number] },
      },
    });
    expectStatus(published, 201);
    const id = (published.body as OpsAnnouncementView).id;
    // As a replica that stopped after queuing the first 12 users leaves it: asked, a cursor, an old lease.
    const ids = [...users.keys()].sort();
    await platform.dataSource.query(
      `UPDATE case_management.announcement SET mailed_at = now(), mail_cursor = $2,
         mail_claimed_at = now() - interval '1 day' WHERE id = $1`,
      [id, ids[11]],
    );
    await platform.cases.get(AnnouncementMail).resumeUnfinished();
    const expected = ids.slice(12).map((u) => users.get(u)!);
    const isResumed = (m: { subject: string }) => m.subject.includes('Resumed notice');
    await waitUntil(() => smtp.messages().filter(isResumed).length >= expected.length, 30_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    const mailed = smtp
      .messages()
      .filter(isResumed)
      .flatMap((m) => m.to);
    expect(mailed.sort()).toEqual(expected.sort());
    const [row] = (await platform.dataSource.query(
      'SELECT mail_done_at FROM case_management.announcement WHERE id = $1',
      [id],
    )) as { mail_done_at: Date | null }[];
    expect(row.mail_done_at).not.toBeNull();
  });

  it('pages through the members of the named tenants only, each user once, in user id order', async () => {
    const auth = platform.auth;
    const [a, b, other] = [await auth.newTenant(), await auth.newTenant(), await auth.newTenant()];
    const wanted = new Map<string, string>();
    for (let i = 0; i < 12; i += 1) {
      const made = await auth.newUser({ tenant: a, password: null });
      wanted.set(made.id, a.number);
    }
    for (let i = 0; i < 9; i += 1) {
      const made = await auth.newUser({ tenant: b, password: null });
      wanted.set(made.id, b.number);
    }
    // In both audience tenants (answered once, with the first tenant's membership) and in another.
    const both = await auth.newUser({
      tenants: [
        { tenant: b, role: 'user' },
        { tenant: a, role: 'admin' },
        { tenant: other, role: 'user' },
      ],
      password: null,
    });
    wanted.set(both.id, [a.number, b.number].sort()[0]);
    const outsider = await auth.newUser({ tenant: other, password: null });
    const disabled = await auth.newUser({ tenant: a, password: null, loginDisabled: true });

    const rpc = platform.cases.get(RpcClient);
    const members: DirectoryMember[] = [];
    let after: string | undefined;
    let pages = 0;
    do {
      const page = await rpc.send(
        'auth.directory.members',
        { tenants: [a.number, b.number], after, limit: 5 },
        { requestId: 'directory-test' },
      );
      members.push(...page.members);
      after = page.next ?? undefined;
      pages += 1;
    } while (after !== undefined);
    expect(pages).toBe(Math.ceil(wanted.size / 5) + (wanted.size % 5 === 0 ? 1 : 0));
    expect(members.map((m) => m.id)).toEqual([...wanted.keys()].sort());
    expect(members.map((m) => [m.id, m.tenant]).sort()).toEqual([...wanted.entries()].sort());
    expect(members.find((m) => m.id === both.id)?.emails).toEqual([both.email]);

    // Everyone (`all`): every tenant's members, still each once and never a disabled login.
    const everyone: string[] = [];
    after = undefined;
    do {
      const page: DirectoryMembersPage = await rpc.send(
        'auth.directory.members',
        { all: true, tenants: [], after, limit: 1000 },
        { requestId: 'directory-test' },
      );
      everyone.push(...page.members.map((m) => m.id));
      after = page.next ?? undefined;
    } while (after !== undefined);
    expect(new Set(everyone).size).toBe(everyone.length);
    expect(everyone).toEqual(expect.arrayContaining([...wanted.keys(), outsider.id]));
    expect(everyone).not.toContain(disabled.id);
  });

  it('publishes without mail unless asked', async () => {
    const tenant = await platform.auth.newTenant();
    await platform.auth.newUser({ tenant, password: null });
    const published = await platform.api('POST', '/ops/announcements', {
      token: ops,
      body: {
        title: 'Quiet notice',
        body: '<p>x</p>',
        banner: false,
        from: '2026-05-01T00:00:00Z',
        to: '2026-05-02T00:00:00Z',
        audience: { tenants: [tenant.number] },
      },
    });
    expectStatus(published, 201);
    expect((published.body as OpsAnnouncementView).mailedAt).toBeNull();
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smtp.messages().filter((m) => m.subject.includes('Quiet notice'))).toEqual([]);
  });
});

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) {
      throw new Error(`not done after ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
