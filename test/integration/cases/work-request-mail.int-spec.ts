import { expectStatus, SmtpSink } from '@app/testing';
import { WorkRequestAcceptedView } from '@app/contracts';
import { NotificationTestApp, uniqueRedisPrefix } from '../notification/support/notification-test-app';
import { CasePlatform } from './case-platform';
import { newItem, SAMPLE_ANSWERS, submit } from './work-request-fixtures';

const MAIL_FROM = 'Security Advisory Center <noreply@mamori.test>';

/**
 * CASE-7 e-mails as the submitter receives them: the case service queues them, the notification
 * service (its real workers, on a Redis prefix of this file's own) sends them over SMTP to a real
 * SMTP server standing in for the provider, and the test reads what arrived.
 */
describe('work request e-mails (CASE-7)', () => {
  const prefix = uniqueRedisPrefix();
  const smtp = new SmtpSink();
  let platform: CasePlatform;
  let notification: NotificationTestApp;
  let ops: string;

  beforeAll(async () => {
    const mail = await smtp.start();
    notification = await NotificationTestApp.create({
      config: {
        REDIS_PREFIX: prefix,
        NODE_ENV: 'test',
        SMTP_URL: mail.url,
        SMTP_REQUIRE_TLS: 'false',
        MAIL_FROM,
      },
    });
    platform = await CasePlatform.create({ REDIS_PREFIX: prefix });
    ops = await platform.operator();
  });
  afterAll(async () => {
    await platform?.close();
    await notification?.close();
    await smtp.stop();
    await NotificationTestApp.purgeRedis(prefix);
  });

  it('sends "received" echoing the request and "accepted" with the case number, in Japanese', async () => {
    const customer = await platform.customer(undefined, 'user', 'ja');
    const service = await platform.contract(ops, customer.tenant);
    const item = await newItem(platform, ops, service);
    const request = await submit(platform, customer, item.id);

    const received = await smtp.waitFor(
      (m) => m.to.includes(customer.user.email) && m.subject.includes('受け付け'),
    );
    expect(received.from).toBe(MAIL_FROM);
    expect(received.subject).toBe(`【${item.code}】作業依頼を受け付けました`);
    expect(received.text).toContain(`依頼項目：${item.code} ${item.name.ja}`);
    expect(received.text).toContain(`対象URL:\n  ${SAMPLE_ANSWERS.target}`);
    expect(received.text).toContain('備考:\n  至急\n  お願いします');
    // A select's value is echoed by its label in the reader's language.
    expect(received.text).toContain('優先度:\n  高');
    expect(received.text).toContain('希望日:\n  2026-12-24');
    expect(received.text).toContain('件数:\n  3');

    const accepted = await platform.api('POST', `/ops/work-requests/${request.id}/accept`, { token: ops });
    expectStatus(accepted, 200);
    const { caseNumber } = accepted.body as WorkRequestAcceptedView;
    const mail = await smtp.waitFor((m) => m.to.includes(customer.user.email) && m.subject.includes('受理'));
    expect(mail.subject).toBe(`【${caseNumber}】作業依頼を受理しました`);
    expect(mail.text).toContain(`受付番号：${caseNumber}`);
    expect(mail.text).toContain(item.name.ja);
  });

  it('sends "received" and "rejected" with the reason, in English', async () => {
    const customer = await platform.customer(undefined, 'user', 'en');
    const service = await platform.contract(ops, customer.tenant);
    const item = await newItem(platform, ops, service);
    const request = await submit(platform, customer, item.id, {
      target: 'https://x.example/',
      priority: 'low',
    });

    const received = await smtp.waitFor(
      (m) => m.to.includes(customer.user.email) && m.subject.includes('received'),
    );
    expect(received.subject).toBe(`[${item.code}] Your work request has been received`);
    expect(received.text).toContain(`Item: ${item.code} ${item.name.en}`);
    expect(received.text).toContain('Target URL:\n  https://x.example/');
    expect(received.text).toContain('Priority:\n  Low');
    expect(received.text).toContain('Notes:\n  (not given)');

    expectStatus(
      await platform.api('POST', `/ops/work-requests/${request.id}/reject`, {
        token: ops,
        body: { reason: 'This URL belongs to a partner.' },
      }),
      200,
    );
    const rejected = await smtp.waitFor(
      (m) => m.to.includes(customer.user.email) && m.subject.includes('rejected'),
    );
    expect(rejected.subject).toBe(`[${item.code}] Your work request has been rejected`);
    expect(rejected.text).toContain('Reason:\nThis URL belongs to a partner.');
    expect(smtp.messages().filter((m) => m.to.includes(customer.user.email))).toHaveLength(2);
  });
});
