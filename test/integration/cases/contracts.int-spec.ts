import { errorCode, expectStatus } from '@app/testing';
import { CasePlatform, randomCode } from './case-platform';

describe('services and contracts through the gateway (CASE-1)', () => {
  let platform: CasePlatform;
  let ops: string;

  beforeAll(async () => {
    platform = await CasePlatform.create();
    ops = await platform.operator();
  });
  afterAll(() => platform.close());

  it('lets an operator define a service once and list it', async () => {
    const code = randomCode();
    const body = {
      code,
      name: { ja: '監視サービス', en: 'Monitoring' },
      settingsSchema: { fields: [{ key: 'sites', label: { ja: '拠点数', en: 'Sites' }, type: 'number' }] },
    };
    const created = await platform.api('POST', '/ops/services', { token: ops, body });
    expectStatus(created, 201);
    expect(created.body).toMatchObject({ code, name: body.name, settingsSchema: body.settingsSchema });
    const again = await platform.api('POST', '/ops/services', { token: ops, body });
    expect([again.status, errorCode(again)]).toEqual([409, 'conflict']);
    const list = await platform.api('GET', '/ops/services', { token: ops });
    expect((list.body as { code: string }[]).map((s) => s.code)).toContain(code);
  });

  it('contracts a service to a tenant, changes it, and refuses a second contract or an unknown tenant', async () => {
    const tenant = await platform.auth.newTenant();
    const service = randomCode();
    expectStatus(
      await platform.api('POST', '/ops/services', {
        token: ops,
        body: {
          code: service,
          name: { ja: 'EDR運用', en: 'EDR operation' },
          settingsSchema: { fields: [{ key: 'sites', label: { ja: '拠点数', en: 'Sites' } }] },
        },
      }),
      201,
    );
    const created = await platform.api('POST', `/ops/tenants/${tenant.number}/contracts`, {
      token: ops,
      body: {
        service,
        startDate: '2026-04-01',
        licenceType: 'standard',
        idCount: 50,
        settings: { sites: 3 },
      },
    });
    expectStatus(created, 201);
    expect(created.body).toMatchObject({
      tenant: tenant.number,
      contractor: tenant.name,
      service,
      startDate: '2026-04-01',
      licenceType: 'standard',
      idCount: 50,
      settings: { sites: 3 },
    });
    const second = await platform.api('POST', `/ops/tenants/${tenant.number}/contracts`, {
      token: ops,
      body: { service, startDate: '2026-05-01' },
    });
    expect([second.status, errorCode(second)]).toEqual([409, 'conflict']);
    const unknown = await platform.api(
      'POST',
      `/ops/tenants/NOSUCH${randomCode('').toUpperCase()}/contracts`,
      {
        token: ops,
        body: { service, startDate: '2026-05-01' },
      },
    );
    expect([unknown.status, errorCode(unknown)]).toEqual([404, 'not_found']);

    const id = (created.body as { id: string }).id;
    const updated = await platform.api('PUT', `/ops/contracts/${id}`, {
      token: ops,
      body: { idCount: 80, settings: { sites: 4 } },
    });
    expectStatus(updated, 200);
    expect(updated.body).toMatchObject({ idCount: 80, settings: { sites: 4 }, licenceType: 'standard' });
    // null clears a term the screen's field was emptied of; a left-out one stays.
    const cleared = await platform.api('PUT', `/ops/contracts/${id}`, {
      token: ops,
      body: { licenceType: null, idCount: null },
    });
    expectStatus(cleared, 200);
    expect(cleared.body).toMatchObject({ idCount: null, licenceType: null, settings: { sites: 4 } });
    const refused = await platform.api('PUT', `/ops/contracts/${id}`, {
      token: ops,
      body: { startDate: null },
    });
    expect([refused.status, errorCode(refused)]).toEqual([400, 'validation_failed']);
    const list = await platform.api('GET', `/ops/tenants/${tenant.number}/contracts`, { token: ops });
    expect((list.body as { id: string }[]).map((c) => c.id)).toEqual([id]);
  });

  it("shows customers their own tenant's service settings only, labelled in their language", async () => {
    const a = await platform.customer(undefined, 'user', 'ja');
    const b = await platform.customer();
    const service = randomCode();
    expectStatus(
      await platform.api('POST', '/ops/services', {
        token: ops,
        body: {
          code: service,
          name: { ja: '脆弱性診断', en: 'Vulnerability scan' },
          settingsSchema: { fields: [{ key: 'hosts', label: { ja: '対象ホスト数', en: 'Hosts' } }] },
        },
      }),
      201,
    );
    const contract = await platform.api('POST', `/ops/tenants/${a.tenant.number}/contracts`, {
      token: ops,
      body: { service, startDate: '2026-04-01', settings: { hosts: 12 } },
    });
    const id = (contract.body as { id: string }).id;

    const list = await platform.api('GET', '/service-settings', { token: a.token, language: 'ja' });
    expectStatus(list, 200);
    expect(list.body).toEqual([
      {
        id,
        contractor: a.tenant.name,
        customerNumber: a.tenant.number,
        service: '脆弱性診断',
        serviceCode: service,
        startDate: '2026-04-01',
      },
    ]);
    const detail = await platform.api('GET', `/service-settings/${id}`, { token: a.token, language: 'ja' });
    expect(detail.body).toMatchObject({ settings: [{ key: 'hosts', label: '対象ホスト数', value: 12 }] });

    // Another tenant's contract is not found, exactly as one that does not exist.
    const foreign = await platform.api('GET', `/service-settings/${id}`, { token: b.token });
    const missing = await platform.api('GET', '/service-settings/00000000-0000-4000-8000-000000000000', {
      token: b.token,
    });
    expect([foreign.status, foreign.body.error.code]).toEqual([404, 'not_found']);
    expect([missing.status, missing.body.error.code]).toEqual([404, 'not_found']);
    expect((await platform.api('GET', '/service-settings', { token: b.token })).body).toEqual([]);
  });

  it('publishes every case route in the OpenAPI document', async () => {
    const docs = (await (await fetch(`${platform.url}/api/docs-json`)).json()) as {
      paths: Record<string, object>;
    };
    for (const path of [
      '/api/v1/ops/services',
      '/api/v1/ops/tenants/{number}/contracts',
      '/api/v1/ops/contracts/{id}',
      '/api/v1/service-settings',
      '/api/v1/service-settings/{id}',
      '/api/v1/ops/categories',
      '/api/v1/ops/categories/{code}',
      '/api/v1/cases',
      '/api/v1/cases/{number}',
      '/api/v1/cases/{number}/comments',
      '/api/v1/cases/{number}/close',
      '/api/v1/cases/{number}/approve',
      '/api/v1/cases/{number}/reject',
      '/api/v1/ops/cases',
      '/api/v1/ops/cases/{number}',
      '/api/v1/ops/cases/{number}/status',
      '/api/v1/ops/cases/{number}/comments',
      '/api/v1/case-filters',
      '/api/v1/case-filters/{id}',
    ]) {
      expect([path, Object.hasOwn(docs.paths, path)]).toEqual([path, true]);
    }
  });

  it('keeps the operator routes from customers and malformed input out', async () => {
    const customer = await platform.customer(undefined, 'admin');
    const refused = await platform.api('GET', '/ops/services', { token: customer.token });
    expect([refused.status, errorCode(refused)]).toEqual([403, 'forbidden']);
    const bad = await platform.api('POST', '/ops/services', {
      token: ops,
      body: { code: 'Bad Code', name: {} },
    });
    expect([bad.status, errorCode(bad)]).toEqual([400, 'validation_failed']);
  });
});
