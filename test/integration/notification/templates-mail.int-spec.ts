import { generateKeyPairSync } from 'node:crypto';
import { SmtpSink } from '@app/testing';
import { newJob, NotificationTestApp, uniqueRedisPrefix } from './support/notification-test-app';

jest.setTimeout(60_000);

const MAIL_FROM = 'Security Advisory Center <noreply@mamori.test>';
const CASE_FROM = 'Support Desk <support@mamori.test>';

/**
 * NOTIF-3 as the recipient's mail server sees it: multipart text + HTML, the sender of the message
 * type, and a DKIM signature by nodemailer when DKIM_* is set.
 */
describe('notification e-mail format', () => {
  const prefix = uniqueRedisPrefix();
  const smtp = new SmtpSink();
  let sut: NotificationTestApp;

  beforeAll(async () => {
    const mail = await smtp.start();
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    sut = await NotificationTestApp.create({
      config: {
        REDIS_PREFIX: prefix,
        NODE_ENV: 'test',
        SMTP_URL: mail.url,
        SMTP_REQUIRE_TLS: 'false',
        PUBLIC_URL: 'https://portal.example',
        MAIL_FROM,
        MAIL_FROM_BY_TYPE: JSON.stringify({ 'case-update': CASE_FROM }),
        DKIM_DOMAIN: 'mamori.test',
        DKIM_SELECTOR: 'notif2026',
        // As an environment variable holds it: one line, `\n` for the line breaks.
        DKIM_PRIVATE_KEY: pem.replace(/\n/g, '\\n'),
      },
    });
  });

  afterAll(async () => {
    await sut?.close();
    await smtp.stop();
    await NotificationTestApp.purgeRedis(prefix);
  });

  it('sends a case update as text and escaped HTML, from the case sender, DKIM-signed', async () => {
    const job = await sut.enqueue(
      newJob('case-update', {
        channel: 'email',
        language: 'en',
        params: {
          caseNumber: 'CS0004321',
          event: 'operator_reply',
          subject: 'Login <b>fails</b>',
          status: 'Answered',
          excerpt: 'Please retry & tell us',
        },
      }),
      'transactional',
    );
    const mail = await smtp.waitFor((m) => m.to.includes(job.data.to[0]));
    expect(mail.from).toBe(CASE_FROM);
    expect(mail.subject).toBe('[CS0004321] There is a reply on your case');
    expect(mail.text).toContain('Subject: Login <b>fails</b>');
    expect(mail.text).toContain('Support Desk');
    expect(mail.html).toContain('Subject: Login &lt;b&gt;fails&lt;/b&gt;');
    expect(mail.html).toContain('Please retry &amp; tell us');
    expect(mail.html).not.toMatch(/<img|src=/i);
    expect(mail.dkimSignature).toMatch(/\bd=mamori\.test;/);
    expect(mail.dkimSignature).toMatch(/\bs=notif2026;/);
    expect(mail.dkimSignature).toMatch(/\bb=[A-Za-z0-9+/=\s]{100,}/);
  });

  it('sends a Japanese account notice from MAIL_FROM, signed with its display name', async () => {
    const job = await sut.enqueue(
      newJob('account-locked', {
        channel: 'email',
        language: 'ja',
        params: { until: '2026-12-03T06:20:00Z' },
      }),
      'transactional',
    );
    const mail = await smtp.waitFor((m) => m.to.includes(job.data.to[0]));
    expect(mail.from).toBe(MAIL_FROM);
    expect(mail.subject).toBe('IDロックのお知らせ');
    expect(mail.text).toContain('2026年12月3日 15:20（日本時間）');
    expect(mail.html).toContain('<html lang="ja">');
    expect(mail.html).toContain('Security Advisory Center');
    expect(mail.dkimSignature).toBeDefined();
  });
});
