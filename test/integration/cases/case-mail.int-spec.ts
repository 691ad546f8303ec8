import { CaseSummaryView } from '@app/contracts';
import { expectStatus } from '@app/testing';
import { CasePlatform } from './case-platform';

describe('case e-mails (CASE-6)', () => {
  let platform: CasePlatform;
  let ops: string;

  beforeAll(async () => {
    platform = await CasePlatform.create();
    ops = await platform.operator();
  });
  afterAll(() => platform.close());

  async function mails(userId: string) {
    return platform.auth.queued('email', { template: 'case-update', userId });
  }

  it('mails the requester and watchers, each in their language, on creation, replies and status changes', async () => {
    const requester = await platform.customer(undefined, 'user', 'en');
    const watcher = await platform.customer(requester.tenant, 'user', 'ja');
    const service = await platform.contract(ops, requester.tenant);
    const created = await platform.api('POST', '/cases', {
      token: requester.token,
      body: {
        service,
        category: 'fault',
        subject: 'Proxy down',
        description: 'x',
        watchers: [watcher.user.id],
      },
    });
    expectStatus(created, 201);
    const { number } = created.body as CaseSummaryView;

    expectStatus(
      await platform.api('POST', `/ops/cases/${number}/comments`, {
        token: ops,
        body: { body: '<p>We are <b>restarting</b> it.</p>' },
      }),
      201,
    );
    expectStatus(
      await platform.api('POST', `/ops/cases/${number}/status`, { token: ops, body: { status: 'resolved' } }),
      200,
    );

    for (const [person, language] of [
      [requester, 'en'],
      [watcher, 'ja'],
    ] as const) {
      const queued = await mails(person.user.id);
      expect(queued.map((m) => [m.params.caseNumber, m.params.event, m.language, m.to])).toEqual([
        [number, 'created', language, [person.user.email]],
        [number, 'operator_reply', language, [person.user.email]],
        [number, 'status_changed', language, [person.user.email]],
      ]);
      expect(queued[1].params.excerpt).toBe('We are restarting it.');
      expect(queued[2].params.status).toBe(
        language === 'ja' ? '解決済み（承認待ち）' : 'Resolved (awaiting your approval)',
      );
    }
    // A customer's own comment is not a reply to mail about; nobody outside the case is mailed.
    const bystander = await platform.customer(requester.tenant);
    expectStatus(
      await platform.api('POST', `/cases/${number}/comments`, {
        token: requester.token,
        body: { body: 'thanks' },
      }),
      201,
    );
    expect(await mails(requester.user.id)).toHaveLength(3);
    expect(await mails(bystander.user.id)).toEqual([]);
  });
});
