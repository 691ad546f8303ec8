import fc from 'fast-check';
import { CaseListView, CaseSummaryView } from '@app/contracts';
import { errorCode, expectStatus } from '@app/testing';
import { CasePlatform, Customer } from './case-platform';

type Condition = { field: string; op: string; value?: unknown };

const TEXT_FIELDS = ['number', 'status', 'category', 'subject', 'contractor', 'service', 'requester'];
const DATE_FIELDS = ['created', 'updated'];

/** The reference evaluation of a filter (CASE-8), written from API.md independently of the SQL. */
function fieldValue(c: CaseSummaryView, field: string): string | number | null | string[] {
  switch (field) {
    case 'category':
      return c.category;
    case 'requester':
      return c.requester?.id ?? null;
    case 'created':
      return Date.parse(c.createdAt);
    case 'updated':
      return Date.parse(c.updatedAt);
    case 'watcher':
      return c.watchers.map((w) => w.id);
    default:
      return (c as unknown as Record<string, string>)[field];
  }
}

function holds(c: CaseSummaryView, cond: Condition): boolean {
  const x = fieldValue(c, cond.field);
  if (cond.field === 'watcher') {
    const ids = x as string[];
    switch (cond.op) {
      case 'eq':
        return ids.includes(cond.value as string);
      case 'ne':
        return !ids.includes(cond.value as string);
      case 'in':
        return ids.some((id) => (cond.value as string[]).includes(id));
      case 'nin':
        return !ids.some((id) => (cond.value as string[]).includes(id));
      case 'empty':
        return ids.length === 0;
      default:
        return ids.length > 0;
    }
  }
  const date = DATE_FIELDS.includes(cond.field);
  const v = (raw: unknown) => (date ? Date.parse(raw as string) : (raw as string));
  const s = x as string | number | null;
  switch (cond.op) {
    case 'eq':
      return s !== null && s === v(cond.value);
    case 'ne':
      return s === null || s !== v(cond.value);
    case 'in':
      return s !== null && (cond.value as string[]).map(v).includes(s);
    case 'nin':
      return s === null || !(cond.value as string[]).map(v).includes(s);
    case 'empty':
      return s === null || s === '';
    case 'notEmpty':
      return s !== null && s !== '';
    case 'lt':
      return s !== null && s < v(cond.value);
    case 'gt':
      return s !== null && s > v(cond.value);
    case 'lte':
      return s !== null && s <= v(cond.value);
    case 'gte':
      return s !== null && s >= v(cond.value);
    case 'between': {
      const [from, to] = (cond.value as string[]).map(v);
      return s !== null && s >= from && s <= to;
    }
    case 'contains':
      return s !== null && String(s).toLowerCase().includes(String(cond.value).toLowerCase());
    case 'notContains':
      return s === null || !String(s).toLowerCase().includes(String(cond.value).toLowerCase());
    case 'startsWith':
      return s !== null && String(s).toLowerCase().startsWith(String(cond.value).toLowerCase());
    case 'sameAs': {
      const y = fieldValue(c, cond.value as string);
      return s !== null && y !== null && s === y;
    }
    default: {
      const y = fieldValue(c, cond.value as string);
      return !(s === null && y === null) && s !== y;
    }
  }
}

describe('the case list: filters and keyword search (CASE-8)', () => {
  let platform: CasePlatform;
  let ops: string;
  let customer: Customer;
  let service: string;
  let dataset: CaseSummaryView[];

  async function open(subject: string, description: string, watchers: string[] = []): Promise<string> {
    platform.clock.advance(1000);
    const answer = await platform.api('POST', '/cases', {
      token: customer.token,
      body: { service, category: 'fault', subject, description, watchers },
    });
    expectStatus(answer, 201);
    return (answer.body as CaseSummaryView).number;
  }

  async function list(query: string, token = customer.token): Promise<CaseListView> {
    const path = token === ops ? '/ops/cases' : '/cases';
    const answer = await platform.api('GET', `${path}?pageSize=100&${query}`, { token });
    expectStatus(answer, 200);
    return answer.body as CaseListView;
  }

  beforeAll(async () => {
    platform = await CasePlatform.create();
    ops = await platform.operator();
    customer = await platform.customer();
    service = await platform.contract(ops, customer.tenant);
    const w1 = await platform.customer(customer.tenant);
    const w2 = await platform.customer(customer.tenant);
    await open('VPN down', '<p>Tunnel drops at night</p>', [w1.user.id]);
    const b = await open('Mail delay', '<p>mail queue grows</p>', [w1.user.id, w2.user.id]);
    const c = await open('vpn slow', '<p>Latency</p>');
    await open('Proxy', '<p>403 on every site</p>', [w2.user.id]);
    for (const [number, status] of [
      [b, 'in_progress'],
      [c, 'resolved'],
    ]) {
      platform.clock.advance(1000);
      expectStatus(
        await platform.api('POST', `/ops/cases/${number}/status`, { token: ops, body: { status } }),
        200,
      );
    }
    platform.clock.advance(1000);
    expectStatus(
      await platform.api('POST', '/ops/cases', {
        token: ops,
        body: {
          tenant: customer.tenant.number,
          service,
          category: 'monthly_report',
          subject: 'Report May',
          description: 'x',
        },
      }),
      201,
    );
    dataset = (await list('')).items;
    expect(dataset).toHaveLength(5);
  });
  afterAll(() => platform.close());

  it('matches the reference evaluation for random valid filters', async () => {
    const texts = TEXT_FIELDS.flatMap((f) => dataset.map((c) => fieldValue(c, f))).filter(
      (v): v is string => typeof v === 'string',
    );
    const dates = dataset.flatMap((c) => [c.createdAt, c.updatedAt]);
    const userIds = [
      ...new Set(dataset.flatMap((c) => [...c.watchers.map((w) => w.id), c.requester?.id ?? ''])),
    ].filter(Boolean);
    const textValue = fc.oneof(
      fc.constantFrom(...texts),
      fc.stringMatching(/^[a-zA-Z0-9 ]{0,6}$/),
      fc.constantFrom('vpn', 'MAIL', 'cs', 'new'),
    );
    const dateValue = fc.constantFrom(...dates, '2000-01-01', '2100-01-01');
    const textCondition: fc.Arbitrary<Condition> = fc.oneof(
      fc
        .record({
          field: fc.constantFrom(...TEXT_FIELDS),
          op: fc.constantFrom('eq', 'ne', 'lt', 'gt', 'lte', 'gte', 'contains', 'notContains', 'startsWith'),
          value: textValue,
        })
        .filter(
          (c) => !['contains', 'notContains', 'startsWith'].includes(c.op) || (c.value as string).length > 0,
        ),
      fc.record({
        field: fc.constantFrom(...TEXT_FIELDS),
        op: fc.constantFrom('in', 'nin'),
        value: fc.array(textValue, { minLength: 1, maxLength: 3 }),
      }),
      fc.record({
        field: fc.constantFrom(...TEXT_FIELDS),
        op: fc.constantFrom('between'),
        value: fc.tuple(textValue, textValue),
      }),
      fc.record({ field: fc.constantFrom(...TEXT_FIELDS), op: fc.constantFrom('empty', 'notEmpty') }),
      fc.record({
        field: fc.constantFrom(...TEXT_FIELDS),
        op: fc.constantFrom('sameAs', 'differentFrom'),
        value: fc.constantFrom(...TEXT_FIELDS),
      }),
    );
    const dateCondition: fc.Arbitrary<Condition> = fc.oneof(
      fc.record({
        field: fc.constantFrom(...DATE_FIELDS),
        op: fc.constantFrom('eq', 'ne', 'lt', 'gt', 'lte', 'gte'),
        value: dateValue,
      }),
      fc.record({
        field: fc.constantFrom(...DATE_FIELDS),
        op: fc.constantFrom('between'),
        value: fc.tuple(dateValue, dateValue),
      }),
      fc.record({
        field: fc.constantFrom(...DATE_FIELDS),
        op: fc.constantFrom('sameAs', 'differentFrom'),
        value: fc.constantFrom(...DATE_FIELDS),
      }),
    );
    const watcherCondition: fc.Arbitrary<Condition> = fc.oneof(
      fc.record({
        field: fc.constant('watcher'),
        op: fc.constantFrom('eq', 'ne'),
        value: fc.constantFrom(...userIds),
      }),
      fc.record({
        field: fc.constant('watcher'),
        op: fc.constantFrom('in', 'nin'),
        value: fc.array(fc.constantFrom(...userIds), { minLength: 1, maxLength: 2 }),
      }),
      fc.record({ field: fc.constant('watcher'), op: fc.constantFrom('empty', 'notEmpty') }),
    );
    const filter = fc.array(
      fc.array(fc.oneof(textCondition, dateCondition, watcherCondition), { minLength: 1, maxLength: 3 }),
      {
        minLength: 1,
        maxLength: 3,
      },
    );
    await fc.assert(
      fc.asyncProperty(filter, async (groups) => {
        const found = await list(`filter=${encodeURIComponent(JSON.stringify(groups))}`);
        const expected = dataset
          .filter((c) => groups.some((g) => g.every((cond) => holds(c, cond))))
          .map((c) => c.number);
        expect(found.items.map((c) => c.number).sort()).toEqual(expected.sort());
        expect(found.total).toBe(expected.length);
      }),
      { numRuns: 80 },
    );
  });

  it('answers 400 validation_failed for random invalid filters, never a 500', async () => {
    const invalid = fc.oneof(
      fc.string().filter((s) => {
        try {
          const parsed: unknown = JSON.parse(s);
          return !Array.isArray(parsed);
        } catch {
          return true;
        }
      }),
      fc.constantFrom(
        '[[]]',
        '[{"field":"status","op":"eq","value":"new"}]',
        '[[{"field":"password","op":"eq","value":"x"}]]',
        '[[{"field":"status","op":"like","value":"x"}]]',
        '[[{"field":"status","op":"in","value":"new"}]]',
        '[[{"field":"status","op":"in","value":[]}]]',
        '[[{"field":"status","op":"between","value":["a"]}]]',
        '[[{"field":"created","op":"contains","value":"2026"}]]',
        '[[{"field":"created","op":"gt","value":"yesterday"}]]',
        '[[{"field":"subject","op":"sameAs","value":"created"}]]',
        '[[{"field":"subject","op":"sameAs","value":"nosuch"}]]',
        '[[{"field":"watcher","op":"contains","value":"x"}]]',
        '[[{"field":"tenant","op":"eq","value":"N1"}]]',
        '[[{"field":"status","op":"eq","value":"new","extra":1}]]',
        '[[{"field":"status","op":"eq","value":{"$gt":""}}]]',
        '[[{"field":"subject","op":"eq","value":"x\'; DROP TABLE x; --"}]]'.replace('eq', 'eqq'),
      ),
    );
    await fc.assert(
      fc.asyncProperty(invalid, async (raw) => {
        const answer = await platform.api('GET', `/cases?filter=${encodeURIComponent(raw)}`, {
          token: customer.token,
        });
        expect([answer.status, errorCode(answer)]).toEqual([400, 'validation_failed']);
      }),
      { numRuns: 60 },
    );
    // Operators may filter by tenant.
    const byTenant = await list(
      `filter=${encodeURIComponent(JSON.stringify([[{ field: 'tenant', op: 'eq', value: customer.tenant.number }]]))}`,
      ops,
    );
    expect(byTenant.total).toBe(5);
  });

  it('finds 2-, 3- and 5-character Japanese words and full-width ASCII in subjects, descriptions and comments, and nothing else', async () => {
    const who = await platform.customer();
    const svc = await platform.contract(ops, who.tenant);
    const stranger = await platform.customer();
    const strangerSvc = await platform.contract(ops, stranger.tenant);
    const make = async (token: string, s: string, subject: string, description: string) => {
      const answer = await platform.api('POST', '/cases', {
        token,
        body: { service: s, category: 'fault', subject, description },
      });
      expectStatus(answer, 201);
      return (answer.body as CaseSummaryView).number;
    };
    const outage = await make(who.token, svc, '障害の報告', '<p>本日朝から発生</p>');
    const firewall = await make(who.token, svc, 'ファイアウォール設定', '<p>ポート開放の依頼</p>');
    const vpn = await make(who.token, svc, 'ＶＰＮ接続', '<p>接続できない</p>');
    const commented = await make(who.token, svc, 'その他', '<p>なし</p>');
    expectStatus(
      await platform.api('POST', `/cases/${commented}/comments`, {
        token: who.token,
        body: { body: '<p>証明書の更新について</p>' },
      }),
      201,
    );
    // The same words in another tenant must never be found or counted.
    await make(stranger.token, strangerSvc, '障害の報告', '<p>ファイアウォール ＶＰＮ 証明書</p>');

    const search = async (q: string) =>
      (await list(`q=${encodeURIComponent(q)}`, who.token)).items.map((c) => c.number).sort();
    expect(await search('障害')).toEqual([outage]);
    expect(await search('証明書')).toEqual([commented]);
    expect(await search('ファイアウォール')).toEqual([firewall]);
    expect(await search('ウォール')).toEqual([firewall]);
    expect(await search('vpn')).toEqual([vpn]);
    expect(await search('ＶＰＮ')).toEqual([vpn]);
    expect(await search('接続')).toEqual([vpn]);
    expect(await search('ﾌｧｲｱｳｫｰﾙ')).toEqual([firewall]);
    expect(await search('開放 依頼')).toEqual([firewall]);
    expect(await search('障害 依頼')).toEqual([]);
    expect(await search('停電')).toEqual([]);
    expect((await list(`q=${encodeURIComponent('障害')}`, who.token)).total).toBe(1);
    const short = await platform.api('GET', `/cases?q=${encodeURIComponent('障')}`, { token: who.token });
    expect([short.status, errorCode(short)]).toEqual([400, 'query_too_short']);
    // Operators search every tenant.
    expect((await list(`q=${encodeURIComponent('障害の報告')}`, ops)).total).toBeGreaterThanOrEqual(2);
  });
});
