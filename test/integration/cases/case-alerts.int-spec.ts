import { randomBytes } from 'node:crypto';
import {
  AlertQueuedView,
  CaseDetailView,
  CaseSummaryView,
  CreatedIntegrationView,
  IntegrationView,
} from '@app/contracts';
import { createRedis } from '@app/messaging';
import { errorCode, expectStatus, waitFor } from '@app/testing';
import { redisPrefix } from '../gateway/gateway-harness';
import { TenantFixture } from '../auth/auth-test-app';
import { CasePlatform } from './case-platform';

/** CASE-9 through the gateway: integrations' API keys and alert cases, against the real infrastructure. */
describe('alert integrations (CASE-9)', () => {
  let platform: CasePlatform;
  let ops: string;
  let tenant: TenantFixture;
  let service: string;

  // The relay deletes outbox rows as it publishes them: a trigger keeps a copy of this file's own.
  const copy = `test_case_alerts_${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    platform = await CasePlatform.create();
    ops = await platform.operator();
    tenant = await platform.auth.newTenant();
    service = await platform.contract(ops, tenant);
    const db = platform.dataSource;
    await db.query(
      `CREATE TABLE case_management.${copy} (seq bigserial PRIMARY KEY, payload jsonb NOT NULL)`,
    );
    await db.query(`CREATE FUNCTION case_management.${copy}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO case_management.${copy} (payload) VALUES (NEW.payload); RETURN NEW; END $$`);
    await db.query(
      `CREATE TRIGGER ${copy} AFTER INSERT ON case_management.outbox FOR EACH ROW EXECUTE FUNCTION case_management.${copy}()`,
    );
  });
  afterAll(async () => {
    const db = platform.dataSource;
    await db.query(`DROP TRIGGER ${copy} ON case_management.outbox`);
    await db.query(`DROP FUNCTION case_management.${copy}()`);
    await db.query(`DROP TABLE case_management.${copy}`);
    await platform.close();
  });

  async function newKey(body: object): Promise<CreatedIntegrationView> {
    const created = await platform.api('POST', '/ops/integrations', { token: ops, body });
    expectStatus(created, 201);
    return created.body as CreatedIntegrationView;
  }

  function alert(apiKey: string, body: object) {
    return platform.api('POST', '/integrations/alerts', { headers: { 'x-api-key': apiKey }, body });
  }

  function externalId(): string {
    return `edr-${randomBytes(6).toString('hex')}`;
  }

  async function countCases(ext: string, on = tenant.number): Promise<number> {
    const rows: { n: string }[] = await platform.dataSource.query(
      `SELECT count(*) AS n FROM case_management.integration_alert a
         JOIN case_management.case_record c ON c.id = a.case_id
        WHERE a.tenant_number = $1 AND a.external_id = $2`,
      [on, ext],
    );
    return Number(rows[0].n);
  }

  it('shows a key once, keeps only its hash, lists keys without secrets, and only to operators', async () => {
    const key = await newKey({ name: 'EDR', scopes: ['alerts:write'], tenants: [tenant.number] });
    expect(key.apiKey).toMatch(/^mmk_[a-z2-7]{12}_[A-Za-z0-9_-]{43}$/);
    expect(key.apiKey).toContain(`mmk_${key.prefix}_`);
    expect(key).toMatchObject({
      name: 'EDR',
      scopes: ['alerts:write'],
      tenants: [tenant.number],
      revokedAt: null,
    });

    const listed = await platform.api('GET', '/ops/integrations', { token: ops });
    expectStatus(listed, 200);
    const mine = (listed.body as IntegrationView[]).find((k) => k.id === key.id);
    expect(mine).toEqual({
      id: key.id,
      name: 'EDR',
      scopes: ['alerts:write'],
      tenants: [tenant.number],
      prefix: key.prefix,
      createdAt: key.createdAt,
      revokedAt: null,
    });
    // `mmk_<prefix>_<secret>`: the secret is base64url, so it may hold `_` itself.
    const secret = key.apiKey.slice(`mmk_${key.prefix}_`.length);
    expect(secret).toHaveLength(43);
    expect(JSON.stringify(listed.body)).not.toContain(secret);
    const stored: { key_hash: string }[] = await platform.dataSource.query(
      `SELECT key_hash FROM case_management.integration_key WHERE id = $1`,
      [key.id],
    );
    expect(stored[0].key_hash).not.toContain(secret);
    expect(stored[0].key_hash).toHaveLength(43);

    const customer = await platform.customer(tenant, 'admin');
    for (const [method, path] of [
      ['POST', '/ops/integrations'],
      ['GET', '/ops/integrations'],
      ['DELETE', `/ops/integrations/${key.id}`],
    ] as const) {
      const refused = await platform.api(method, path, {
        token: customer.token,
        ...(method === 'POST' ? { body: { name: 'x', scopes: ['alerts:write'] } } : {}),
      });
      expect([method, path, refused.status]).toEqual([method, path, 403]);
    }
    const malformed = await platform.api('POST', '/ops/integrations', {
      token: ops,
      body: { name: 'x', scopes: ['alerts:delete'] },
    });
    expect([malformed.status, errorCode(malformed)]).toEqual([400, 'validation_failed']);
  });

  it('opens an alert case, answers the same case for the same externalId, updates it, and mails the alert recipients', async () => {
    const admin = await platform.customer(tenant, 'admin', 'ja');
    const key = await newKey({ name: 'EDR one', scopes: ['alerts:write'], tenants: [tenant.number] });
    const ext = externalId();
    const first = await alert(key.apiKey, {
      externalId: ext,
      tenant: tenant.number,
      service,
      subject: 'Malware detected on PC-0042',
      description: '<p>Trojan found</p><script>x()</script>',
      severity: 'high',
      comment: '<p>First look</p>',
    });
    expectStatus(first, 201);
    const opened = first.body as CaseSummaryView;
    expect(opened).toMatchObject({
      tenant: tenant.number,
      service,
      category: 'alert',
      subject: 'Malware detected on PC-0042',
      description: '<p>Trojan found</p>',
      requester: null,
      status: 'new',
    });

    // The tenant only sees it in the alerts view; it never counts as an open inquiry (CASE-4).
    const alerts = await platform.api('GET', '/cases?view=alerts', { token: admin.token });
    expect((alerts.body as { items: CaseSummaryView[] }).items.map((c) => c.number)).toContain(opened.number);
    expectStatus(
      await platform.api('POST', '/cases', {
        token: admin.token,
        body: { service, category: 'service', subject: 'Question', description: 'x' },
      }),
      201,
    );

    // The tenant is the key's only tenant when the alert names none.
    const again = await alert(key.apiKey, {
      externalId: ext,
      service,
      subject: 'Malware detected on PC-0042',
      description: '<p>Trojan quarantined</p>',
      severity: 'medium',
      comment: '<p>Quarantine succeeded</p>',
    });
    expectStatus(again, 200);
    expect((again.body as CaseSummaryView).number).toBe(opened.number);
    expect((again.body as CaseSummaryView).description).toBe('<p>Trojan quarantined</p>');
    expect(await countCases(ext)).toBe(1);

    const detail = (await platform.api('GET', `/cases/${opened.number}`, { token: admin.token }))
      .body as CaseDetailView;
    expect(detail.activity.map((a) => [a.kind, a.event ?? null, a.body ?? null, a.author?.role])).toEqual([
      ['system', 'created', null, 'integration'],
      ['comment', null, '<p>First look</p>', 'integration'],
      ['comment', null, '<p>Quarantine succeeded</p>', 'integration'],
      ['system', 'alert_updated', null, 'integration'],
    ]);
    expect(detail.activity[0].author).toEqual({ id: key.id, name: 'EDR one', role: 'integration' });

    const mails = await waitFor(async () => {
      const queued = await platform.auth.queued('email', { template: 'case-update', userId: admin.user.id });
      // The admin's own inquiry above is mailed too; only the alert's mail is looked at here.
      const ofAlert = queued.filter((m) => m.params.caseNumber === opened.number);
      return ofAlert.length > 0 ? ofAlert : undefined;
    });
    expect(mails.map((m) => [m.params.caseNumber, m.params.event, m.language])).toEqual([
      [opened.number, 'created', 'ja'],
    ]);

    const facts: { type: string; reasons: string[] | null }[] = await platform.dataSource.query(
      `SELECT payload->>'type' AS type, payload->'reasons' AS reasons FROM case_management.${copy}
        WHERE payload->>'type' = 'case-management.alert.received' AND payload->'target'->>'id' = $1
        ORDER BY seq`,
      [opened.number],
    );
    expect(facts.map((f) => f.reasons)).toEqual([['created'], ['updated']]);
  });

  it('refuses a missing, malformed, wrong or revoked key alike, a key without the scope, another tenant and a bad payload', async () => {
    const other = await platform.auth.newTenant();
    await platform.contract(ops, other, service);
    const key = await newKey({ name: 'EDR two', scopes: ['alerts:write'], tenants: [tenant.number] });
    const body = { externalId: externalId(), tenant: tenant.number, service, subject: 's', description: 'd' };

    const wrongSecret = `${key.apiKey.slice(0, -4)}AAAA`;
    for (const headers of [{}, { 'x-api-key': 'nonsense' }, { 'x-api-key': wrongSecret }] as Record<
      string,
      string
    >[]) {
      const refused = await platform.api('POST', '/integrations/alerts', { headers, body });
      expect([refused.status, errorCode(refused)]).toEqual([401, 'unauthorized']);
    }
    const unknownPrefix = key.apiKey.replace(`mmk_${key.prefix}_`, 'mmk_aaaaaaaaaaaa_');
    expect((await alert(unknownPrefix, body)).status).toBe(401);

    const elsewhere = await alert(key.apiKey, { ...body, tenant: other.number });
    expect([elsewhere.status, errorCode(elsewhere)]).toEqual([403, 'forbidden']);
    const mailOnly = await newKey({ name: 'Bounces', scopes: ['mail-events:write'] });
    expect((await alert(mailOnly.apiKey, body)).status).toBe(403);

    const bad = await alert(key.apiKey, { ...body, severity: 'apocalyptic', extra: 1 });
    expect([bad.status, errorCode(bad)]).toEqual([400, 'validation_failed']);
    const uncontracted = await alert(key.apiKey, { ...body, service: 'not-contracted' });
    expect([uncontracted.status, errorCode(uncontracted)]).toEqual([422, 'service_not_contracted']);

    // An all-tenant key must name the tenant.
    const everyTenant = await newKey({ name: 'SOC-wide', scopes: ['alerts:write'] });
    const unnamed = await alert(everyTenant.apiKey, { ...body, tenant: undefined });
    expect([unnamed.status, errorCode(unnamed)]).toEqual([400, 'validation_failed']);
    expectStatus(await alert(everyTenant.apiKey, { ...body, tenant: other.number }), 201);

    // Without the gateway's copy of the key, the case service is asked, and the copy made again.
    const redis = createRedis(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379');
    try {
      const cached = `${redisPrefix()}:integration-key:${key.prefix}`;
      expect(await redis.del(cached)).toBe(1);
      expectStatus(await alert(key.apiKey, body), 201);
      expect(JSON.parse((await redis.get(cached))!)).toMatchObject({ id: key.id, revoked: false });
    } finally {
      redis.disconnect();
    }
    expectStatus(await platform.api('DELETE', `/ops/integrations/${key.id}`, { token: ops }), 204);
    const revoked = await alert(key.apiKey, body);
    expect([revoked.status, errorCode(revoked)]).toEqual([401, 'unauthorized']);
    // Revoking again is answered the same; the list shows when.
    expectStatus(await platform.api('DELETE', `/ops/integrations/${key.id}`, { token: ops }), 204);
    const listed = (await platform.api('GET', '/ops/integrations', { token: ops })).body as IntegrationView[];
    expect(listed.find((k) => k.id === key.id)?.revokedAt).toEqual(expect.any(String));
    const missing = await platform.api(
      'DELETE',
      `/ops/integrations/${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}`,
      {
        token: ops,
      },
    );
    expect(missing.status).toBe(404);
  });

  it('makes one case of ten identical alerts posted at once', async () => {
    const key = await newKey({ name: 'EDR three', scopes: ['alerts:write'], tenants: [tenant.number] });
    const ext = externalId();
    const answers = await Promise.all(
      Array.from({ length: 10 }, () =>
        alert(key.apiKey, { externalId: ext, service, subject: 'Same alert', description: 'Same' }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    expect(new Set(answers.map((a) => (a.body as CaseSummaryView).number)).size).toBe(1);
    expect(await countCases(ext)).toBe(1);
    const rows: { n: string }[] = await platform.dataSource.query(
      `SELECT count(*) AS n FROM case_management.case_record WHERE tenant_number = $1 AND subject = 'Same alert'`,
      [tenant.number],
    );
    expect(Number(rows[0].n)).toBe(1);
  });

  it('queues alerts while the case service is stopped and turns each into exactly one case when it is back', async () => {
    const key = await newKey({ name: 'EDR four', scopes: ['alerts:write'], tenants: [tenant.number] });
    const known = externalId();
    expectStatus(
      await alert(key.apiKey, { externalId: known, service, subject: 'Known', description: 'v1' }),
      201,
    );

    await platform.stopCases();
    const externalIds = Array.from({ length: 6 }, () => externalId());
    const queued = await Promise.all([
      ...externalIds.map((ext, i) =>
        alert(key.apiKey, { externalId: ext, service, subject: `Queued ${i}`, description: 'While down' }),
      ),
      // The same alert twice, and an update of a case opened before the outage.
      alert(key.apiKey, {
        externalId: externalIds[0],
        service,
        subject: 'Queued 0',
        description: 'While down',
      }),
      alert(key.apiKey, {
        externalId: known,
        service,
        subject: 'Known',
        description: 'v2',
        comment: 'Again',
      }),
    ]);
    // Taken too, since only the case service knows contracts; refused for good when applied.
    const uncontracted = await alert(key.apiKey, {
      externalId: externalId(),
      service: 'not-contracted',
      subject: 'Nowhere',
      description: 'x',
    });
    expectStatus(uncontracted, 202);
    for (const answer of queued) {
      expectStatus(answer, 202);
      expect(answer.body).toMatchObject({
        status: 'queued',
        alertId: expect.any(String),
      } satisfies Partial<AlertQueuedView>);
    }
    // Refused by the gateway without the case service: the key is checked from the gateway's copy.
    expect(
      (
        await alert(`${key.apiKey.slice(0, -4)}AAAA`, {
          externalId: known,
          service,
          subject: 's',
          description: 'd',
        })
      ).status,
    ).toBe(401);

    await platform.startCases();
    await waitFor(
      async () => {
        const rows: { n: string }[] = await platform.dataSource.query(
          `SELECT count(*) AS n FROM case_management.integration_alert_receipt WHERE alert_id = ANY($1::uuid[])`,
          [queued.map((a) => (a.body as AlertQueuedView).alertId)],
        );
        return Number(rows[0].n) === queued.length;
      },
      { timeoutMs: 30_000, description: 'every queued alert applied' },
    );
    const refused = await waitFor(
      async () => {
        const rows: { outcome: string }[] = await platform.dataSource.query(
          `SELECT outcome FROM case_management.integration_alert_receipt WHERE alert_id = $1`,
          [(uncontracted.body as AlertQueuedView).alertId],
        );
        return rows[0]?.outcome;
      },
      { timeoutMs: 30_000, description: 'the uncontracted alert settled' },
    );
    expect(refused).toBe('refused');
    const denied: { reasons: string[] }[] = await platform.dataSource.query(
      `SELECT payload->'reasons' AS reasons FROM case_management.${copy}
        WHERE payload->>'type' = 'case-management.alert.received' AND payload->>'outcome' = 'denied'
          AND payload->'target'->>'id' = $1`,
      [key.id],
    );
    expect(denied.map((d) => d.reasons)).toEqual([['service_not_contracted']]);
    for (const ext of [...externalIds, known]) {
      expect([ext, await countCases(ext)]).toEqual([ext, 1]);
    }
    const knownCase = await platform.dataSource.query(
      `SELECT c.description FROM case_management.integration_alert a
         JOIN case_management.case_record c ON c.id = a.case_id WHERE a.external_id = $1`,
      [known],
    );
    expect(knownCase[0].description).toBe('v2');

    // Back to answering directly.
    const after = await alert(key.apiKey, {
      externalId: externalIds[1],
      service,
      subject: 'Queued 1',
      description: 'While down',
    });
    expectStatus(after, 200);
  }, 120_000);
});
