import { CaseCategoryOptionView, CategoryView } from '@app/contracts';
import { errorCode, expectStatus, signAccessToken } from '@app/testing';
import { CasePlatform, Customer, randomCode } from './case-platform';

/** `GET /case-categories`: what a customer picks from when opening an inquiry (CASE-3). */
describe('case categories for customers (GET /case-categories)', () => {
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

  async function options(token = customer.token, language?: 'ja' | 'en'): Promise<CaseCategoryOptionView[]> {
    const answer = await platform.api('GET', '/case-categories', { token, language });
    expectStatus(answer, 200);
    return answer.body as CaseCategoryOptionView[];
  }

  it('lists the seeded customer categories with both labels, whatever the language, and none of the provider’s', async () => {
    const listed = await options();
    expect(listed).toEqual(
      expect.arrayContaining([
        { code: 'fault', label: { ja: '障害について', en: 'About a fault' } },
        { code: 'other', label: { ja: 'その他', en: 'Other' } },
        { code: 'product_spec', label: { ja: '製品仕様について', en: 'About product specifications' } },
        { code: 'service', label: { ja: 'サービスについて', en: 'About the service' } },
      ]),
    );
    const codes = listed.map((c) => c.code);
    expect(codes).toEqual([...codes].sort());
    for (const providers of ['alert', 'monthly_report', 'security_alert', 'work_request']) {
      expect(codes).not.toContain(providers);
    }
    expect(await options(customer.token, 'ja')).toEqual(listed);
    // Exactly the selectable ones of the operators' list.
    const all = await platform.api('GET', '/ops/categories', { token: ops });
    expectStatus(all, 200);
    const selectable = (all.body as CategoryView[]).filter((c) => c.customerSelectable).map((c) => c.code);
    expect(codes).toEqual(selectable);
  });

  it('follows what operators change, and every category it lists opens an inquiry', async () => {
    const code = randomCode('cat');
    const label = { ja: '請求について', en: 'About billing' };
    expectStatus(
      await platform.api('POST', '/ops/categories', {
        token: ops,
        body: { code, label, customerSelectable: false },
      }),
      201,
    );
    expect((await options()).map((c) => c.code)).not.toContain(code);

    expectStatus(
      await platform.api('PUT', `/ops/categories/${code}`, {
        token: ops,
        body: { label, customerSelectable: true },
      }),
      200,
    );
    expect(await options()).toContainEqual({ code, label });
    const opened = await platform.api('POST', '/cases', {
      token: customer.token,
      body: { service, category: code, subject: 'Invoice', description: '<p>Which month?</p>' },
    });
    expectStatus(opened, 201);

    expectStatus(
      await platform.api('PUT', `/ops/categories/${code}`, {
        token: ops,
        body: { label, customerSelectable: false },
      }),
      200,
    );
    expect((await options()).map((c) => c.code)).not.toContain(code);
  });

  it('answers customers of a tenant only: 401 without a token, 403 to operators, 409 before a tenant is picked', async () => {
    const none = await platform.api('GET', '/case-categories');
    expect([none.status, errorCode(none)]).toEqual([401, 'unauthorized']);
    const operator = await platform.api('GET', '/case-categories', { token: ops });
    expect([operator.status, errorCode(operator)]).toEqual([403, 'forbidden']);
    const noTenant = signAccessToken({ sub: customer.user.id, tenant: null, role: 'user' });
    const picking = await platform.api('GET', '/case-categories', { token: noTenant });
    expect([picking.status, errorCode(picking)]).toEqual([409, 'tenant_selection_required']);
  });
});
