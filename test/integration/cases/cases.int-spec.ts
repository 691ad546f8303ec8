import {
  CASE_STATUSES,
  CaseDetailView,
  CaseStatus,
  CaseSummaryView,
  OPERATOR_STATUSES,
} from '@app/contracts';
import { errorCode, expectStatus } from '@app/testing';
import { CasePlatform, Customer } from './case-platform';

describe('cases through the gateway (CASE-2…CASE-6)', () => {
  let platform: CasePlatform;
  let ops: string;
  let customer: Customer;
  let service: string;

  beforeAll(async () => {
    platform = await CasePlatform.create();
    ops = await platform.operator();
    customer = await platform.customer();
    service = await platform.contract(ops, customer.tenant);
  });
  afterAll(() => platform.close());

  async function open(who: Customer, category = 'fault', svc = service): Promise<CaseSummaryView> {
    const answer = await platform.api('POST', '/cases', {
      token: who.token,
      body: { service: svc, category, subject: 'VPN が切れる', description: '<p>朝から接続できません</p>' },
    });
    expectStatus(answer, 201);
    return answer.body as CaseSummaryView;
  }

  async function setStatus(number: string, status: string): Promise<void> {
    expectStatus(
      await platform.api('POST', `/ops/cases/${number}/status`, { token: ops, body: { status } }),
      200,
    );
  }

  /** A fault case of `customer` brought to `status` the way the rules allow. */
  async function caseIn(status: CaseStatus): Promise<string> {
    const { number } = await open(customer);
    const path: Record<CaseStatus, string[]> = {
      new: [],
      in_progress: ['in_progress'],
      awaiting_customer: ['in_progress', 'awaiting_customer'],
      resolved: ['in_progress', 'resolved'],
      closed: ['closed'],
    };
    for (const step of path[status]) {
      await setStatus(number, step);
    }
    return number;
  }

  it('opens a case numbered CS + 7 digits, increasing, with its actions and status message', async () => {
    const watcher = await platform.customer(customer.tenant);
    const first = await platform.api('POST', '/cases', {
      token: customer.token,
      body: {
        service,
        category: 'fault',
        subject: 'Mail is slow',
        description: '<p onclick="x()">Since <b>9:00</b><script>alert(1)</script></p>',
        watchers: [watcher.user.id],
      },
    });
    expectStatus(first, 201);
    const second = await open(customer);
    const a = first.body as CaseSummaryView;
    expect(a.number).toMatch(/^CS\d{7}$/);
    expect(Number(second.number.slice(2))).toBeGreaterThan(Number(a.number.slice(2)));
    expect(a).toMatchObject({
      tenant: customer.tenant.number,
      contractor: customer.tenant.name,
      service,
      category: 'fault',
      subject: 'Mail is slow',
      description: '<p>Since <b>9:00</b></p>',
      requester: { id: customer.user.id },
      watchers: [{ id: watcher.user.id }],
      status: 'new',
      availableActions: ['comment', 'attach', 'close'],
      statusMessage: 'received',
    });
    // The watcher sees it; the detail carries the "created" system entry.
    const seen = await platform.api('GET', `/cases/${a.number}`, { token: watcher.token });
    expectStatus(seen, 200);
    expect((seen.body as CaseDetailView).activity).toEqual([
      expect.objectContaining({ kind: 'system', event: 'created' }),
    ]);
  });

  it('refuses categories customers may not choose and services the tenant has not contracted', async () => {
    for (const category of ['alert', 'monthly_report', 'nosuchcategory']) {
      const refused = await platform.api('POST', '/cases', {
        token: customer.token,
        body: { service, category, subject: 's', description: 'd' },
      });
      expect([category, refused.status, errorCode(refused)]).toEqual([
        category,
        422,
        'category_not_selectable',
      ]);
    }
    const other = await platform.customer();
    const notContracted = await platform.api('POST', '/cases', {
      token: other.token,
      body: { service, category: 'service', subject: 's', description: 'd' },
    });
    expect([notContracted.status, errorCode(notContracted)]).toEqual([422, 'service_not_contracted']);
    const foreignWatcher = await platform.customer();
    const badWatcher = await platform.api('POST', '/cases', {
      token: customer.token,
      body: {
        service,
        category: 'fault',
        subject: 's',
        description: 'd',
        watchers: [foreignWatcher.user.id],
      },
    });
    expect([badWatcher.status, errorCode(badWatcher)]).toEqual([400, 'validation_failed']);
  });

  it('lets exactly one of 10 concurrent inquiries through per tenant and service; faults and operator cases are exempt', async () => {
    const who = await platform.customer();
    const svc = await platform.contract(ops, who.tenant);
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        platform.api('POST', '/cases', {
          token: who.token,
          body: { service: svc, category: 'service', subject: 'Question', description: 'How?' },
        }),
      ),
    );
    const created = answers.filter((a) => a.status === 201);
    const refused = answers.filter((a) => a.status === 409);
    expect([created.length, refused.length]).toEqual([1, 9]);
    const number = (created[0].body as CaseSummaryView).number;
    for (const r of refused) {
      expect(r.body.error).toMatchObject({ code: 'open_inquiry_exists', details: { number } });
    }
    // A fault is reported whatever is open; an operator's case never counts.
    await open(who, 'fault', svc);
    await open(who, 'fault', svc);
    expectStatus(
      await platform.api('POST', '/ops/cases', {
        token: ops,
        body: {
          tenant: who.tenant.number,
          service: svc,
          category: 'monthly_report',
          subject: 'Report',
          description: 'x',
        },
      }),
      201,
    );
    // Resolved still counts; once closed a new inquiry may be opened.
    await setStatus(number, 'resolved');
    const stillBlocked = await platform.api('POST', '/cases', {
      token: who.token,
      body: { service: svc, category: 'other', subject: 'Another', description: 'x' },
    });
    expect([stillBlocked.status, errorCode(stillBlocked)]).toEqual([409, 'open_inquiry_exists']);
    expectStatus(await platform.api('POST', `/cases/${number}/approve`, { token: who.token }), 200);
    await open(who, 'other', svc);
  });

  it('allows exactly the customer transitions of CASE-5 from every status', async () => {
    const expected: Record<string, Record<CaseStatus, CaseStatus | null>> = {
      close: {
        new: 'closed',
        in_progress: 'closed',
        awaiting_customer: 'closed',
        resolved: null,
        closed: null,
      },
      approve: { new: null, in_progress: null, awaiting_customer: null, resolved: 'closed', closed: null },
      reject: {
        new: null,
        in_progress: null,
        awaiting_customer: null,
        resolved: 'in_progress',
        closed: null,
      },
    };
    for (const [action, byStatus] of Object.entries(expected)) {
      for (const from of CASE_STATUSES) {
        const number = await caseIn(from);
        const answer = await platform.api('POST', `/cases/${number}/${action}`, {
          token: customer.token,
          body: {},
        });
        const to = byStatus[from];
        if (to === null) {
          expect([action, from, answer.status, errorCode(answer)]).toEqual([
            action,
            from,
            409,
            'invalid_transition',
          ]);
        } else {
          expect([action, from, answer.status, (answer.body as CaseSummaryView).status]).toEqual([
            action,
            from,
            200,
            to,
          ]);
        }
      }
    }
  });

  it('allows exactly the operator transitions of CASE-5 from every status; closed is final', async () => {
    for (const from of CASE_STATUSES) {
      for (const to of OPERATOR_STATUSES) {
        const number = await caseIn(from);
        const answer = await platform.api('POST', `/ops/cases/${number}/status`, {
          token: ops,
          body: { status: to },
        });
        const allowed = from !== 'closed' && from !== 'resolved' && from !== to;
        if (allowed) {
          expect([from, to, answer.status, (answer.body as CaseSummaryView).status]).toEqual([
            from,
            to,
            200,
            to,
          ]);
        } else {
          expect([from, to, answer.status, errorCode(answer)]).toEqual([from, to, 409, 'invalid_transition']);
        }
      }
    }
  });

  it('keeps a rejection reason as a comment and offers approve/reject only on a resolved case', async () => {
    const number = await caseIn('resolved');
    const resolved = await platform.api('GET', `/cases/${number}`, { token: customer.token });
    expect(resolved.body).toMatchObject({
      availableActions: ['comment', 'attach', 'approve', 'reject'],
      statusMessage: 'solution_awaiting_your_approval',
    });
    const rejected = await platform.api('POST', `/cases/${number}/reject`, {
      token: customer.token,
      body: { reason: '<p>Still <i>failing</i></p>' },
    });
    expectStatus(rejected, 200);
    const detail = (await platform.api('GET', `/cases/${number}`, { token: customer.token }))
      .body as CaseDetailView;
    expect(detail.status).toBe('in_progress');
    expect(detail.activity.map((a) => [a.kind, a.event ?? a.body])).toEqual([
      ['system', 'created'],
      ['system', 'status_changed'],
      ['system', 'status_changed'],
      ['comment', '<p>Still <i>failing</i></p>'],
      ['system', 'status_changed'],
    ]);
  });

  it('returns a case awaiting the customer to in progress on their comment, and refuses comments once closed', async () => {
    const number = await caseIn('awaiting_customer');
    const commented = await platform.api('POST', `/cases/${number}/comments`, {
      token: customer.token,
      body: { body: '<p style="color:#f00">Here <img src="https://tracker.example/x.png">it is</p>' },
    });
    expectStatus(commented, 201);
    const detail = commented.body as CaseDetailView;
    expect(detail.status).toBe('in_progress');
    const comment = detail.activity.find((a) => a.kind === 'comment');
    expect(comment).toMatchObject({
      body: '<p style="color:#f00">Here it is</p>',
      author: { id: customer.user.id, role: 'customer' },
    });
    const reply = await platform.api('POST', `/ops/cases/${number}/comments`, {
      token: ops,
      body: { body: 'OK' },
    });
    expectStatus(reply, 201);
    expect((reply.body as CaseDetailView).status).toBe('in_progress');

    const closed = await caseIn('closed');
    for (const [token, path] of [
      [customer.token, `/cases/${closed}/comments`],
      [ops, `/ops/cases/${closed}/comments`],
    ]) {
      const refused = await platform.api('POST', path, { token, body: { body: 'late' } });
      expect([refused.status, errorCode(refused)]).toEqual([409, 'case_closed']);
    }
  });

  it("answers another tenant's case exactly as a case that does not exist", async () => {
    const { number } = await open(customer);
    const stranger = await platform.customer();
    const foreign = await platform.api('GET', `/cases/${number}`, { token: stranger.token });
    const missing = await platform.api('GET', '/cases/CS9999999', { token: stranger.token });
    expect([foreign.status, foreign.body.error.code, foreign.body.error.message]).toEqual([
      missing.status,
      missing.body.error.code,
      missing.body.error.message,
    ]);
    expect(foreign.status).toBe(404);
    for (const action of ['close', 'approve', 'reject', 'comments']) {
      const answer = await platform.api('POST', `/cases/${number}/${action}`, {
        token: stranger.token,
        body: action === 'comments' ? { body: 'x' } : {},
      });
      expect([action, answer.status]).toEqual([action, 404]);
    }
    const list = await platform.api('GET', '/cases', { token: stranger.token });
    expect(list.body).toMatchObject({ items: [], total: 0, totalIsExact: true });
  });

  it("lists the tenant's cases by view, sort and page; operators see every tenant", async () => {
    const who = await platform.customer();
    const svc = await platform.contract(ops, who.tenant);
    const numbers: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      platform.clock.advance(1000);
      numbers.push((await open(who, 'fault', svc)).number);
    }
    await setStatus(numbers[1], 'in_progress');
    await setStatus(numbers[1], 'awaiting_customer');
    const all = await platform.api('GET', '/cases?pageSize=2&page=1', { token: who.token });
    expect(all.body).toMatchObject({ total: 5, totalIsExact: true, page: 1, pageSize: 2 });
    // Default sort: updated, newest first — the status change made numbers[1] the newest.
    expect((all.body.items as CaseSummaryView[]).map((c) => c.number)).toEqual([numbers[1], numbers[4]]);
    const byNumber = await platform.api('GET', '/cases?sort=-number&page=2&pageSize=2', { token: who.token });
    expect((byNumber.body.items as CaseSummaryView[]).map((c) => c.number)).toEqual([numbers[2], numbers[1]]);
    const action = await platform.api('GET', '/cases?view=action_required', { token: who.token });
    expect((action.body.items as CaseSummaryView[]).map((c) => c.number)).toEqual([numbers[1]]);
    const search = await platform.api('GET', `/cases?number=${numbers[3]}`, { token: who.token });
    expect((search.body.items as CaseSummaryView[]).map((c) => c.number)).toEqual([numbers[3]]);
    const badSort = await platform.api('GET', '/cases?sort=password', { token: who.token });
    expect([badSort.status, errorCode(badSort)]).toEqual([400, 'validation_failed']);

    const opsView = await platform.api('GET', `/ops/cases/${numbers[0]}`, { token: ops });
    expect(opsView.body).toMatchObject({
      number: numbers[0],
      availableActions: ['comment', 'attach', 'close'],
    });
    const opsList = await platform.api('GET', '/ops/cases?pageSize=100', { token: ops });
    expect(opsList.body.total).toBeGreaterThanOrEqual(5);
    const customerOnOps = await platform.api('GET', '/ops/cases', { token: who.token });
    expect(customerOnOps.status).toBe(403);
  });
});
