import { randomInt } from 'node:crypto';
import { CaseFilterView, CaseListView, CaseSummaryView } from '@app/contracts';
import { expectStatus } from '@app/testing';
import { CasePlatform, Customer } from './case-platform';

const WORDS = ['障害', 'ネットワーク', 'VPN', 'メール遅延', 'proxy', '証明書'];

/**
 * CASE-8 "a user only ever sees their tenants' cases": randomized tenants, users and cases; every
 * way of reading cases, by every user, returns no row of another tenant, and a case of another
 * tenant is answered exactly as a case that does not exist.
 */
describe('tenant isolation of cases (CASE-8)', () => {
  let platform: CasePlatform;

  beforeAll(async () => {
    platform = await CasePlatform.create();
  });
  afterAll(() => platform.close());

  it("never shows, counts or confirms another tenant's cases", async () => {
    const ops = await platform.operator();
    const tenants: { users: Customer[]; numbers: string[] }[] = [];
    for (let t = 0; t < 3 + randomInt(2); t += 1) {
      const first = await platform.customer(undefined, 'admin');
      const users = [first];
      for (let u = 0; u < 1 + randomInt(2); u += 1) {
        users.push(await platform.customer(first.tenant));
      }
      const service = await platform.contract(ops, first.tenant);
      const numbers: string[] = [];
      for (let c = 0; c < 2 + randomInt(3); c += 1) {
        const who = users[randomInt(users.length)];
        const word = WORDS[randomInt(WORDS.length)];
        const answer = await platform.api('POST', '/cases', {
          token: who.token,
          body: {
            service,
            category: 'fault',
            subject: `${word} ${c}`,
            description: `<p>${WORDS.join(' ')}</p>`,
          },
        });
        expectStatus(answer, 201);
        numbers.push((answer.body as CaseSummaryView).number);
      }
      expectStatus(
        await platform.api('POST', '/case-filters', {
          token: first.token,
          body: { name: 'shared', visibility: 'tenant', q: WORDS[randomInt(WORDS.length)] },
        }),
        201,
      );
      tenants.push({ users, numbers });
    }

    for (const [i, tenant] of tenants.entries()) {
      const own = new Set(tenant.numbers);
      const foreign = tenants.filter((_, j) => j !== i).flatMap((t) => t.numbers);
      for (const user of tenant.users) {
        const queries = [
          '',
          'view=action_required',
          ...WORDS.map((w) => `q=${encodeURIComponent(w)}`),
          ...foreign.slice(0, 3).map((n) => `number=${n}`),
          `filter=${encodeURIComponent(JSON.stringify([[{ field: 'number', op: 'in', value: foreign }]]))}`,
          `filter=${encodeURIComponent(JSON.stringify([[{ field: 'subject', op: 'notEmpty' }]]))}`,
        ];
        for (const query of queries) {
          const answer = await platform.api('GET', `/cases?pageSize=100&${query}`, { token: user.token });
          expectStatus(answer, 200);
          const list = answer.body as CaseListView;
          expect([query, list.items.filter((c) => !own.has(c.number))]).toEqual([query, []]);
          expect([query, list.total]).toEqual([query, list.items.length]);
        }
        const filters = (await platform.api('GET', '/case-filters', { token: user.token }))
          .body as CaseFilterView[];
        expect(filters).toHaveLength(1);
        for (const number of foreign.slice(0, 2)) {
          const elsewhere = await platform.api('GET', `/cases/${number}`, { token: user.token });
          const nowhere = await platform.api('GET', '/cases/CS9999998', { token: user.token });
          expect([elsewhere.status, elsewhere.body.error.code, elsewhere.body.error.message]).toEqual([
            nowhere.status,
            nowhere.body.error.code,
            nowhere.body.error.message,
          ]);
        }
      }
    }
  });
});
