import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import {
  CaseDetailView,
  OpsWorkRequestView,
  WorkRequestAcceptedView,
  WorkRequestItemView,
  WorkRequestView,
} from '@app/contracts';
import { errorCode, expectStatus } from '@app/testing';
import { download, sha256, uploadFile } from './attachment-client';
import { CasePlatform, Customer } from './case-platform';
import { formCases } from './work-request-forms';
import { newItem, SAMPLE_FIELDS, submit } from './work-request-fixtures';

/**
 * CASE-7 through the gateway, against the real case service, PostgreSQL and the local attachment
 * store: the catalogue, form checks (property-based over random forms and submissions), acceptance
 * into a case with the request's files, rejection, the accept/reject race and tenant isolation.
 */
describe('work requests (CASE-7)', () => {
  let platform: CasePlatform;
  let ops: string;
  let root: string;
  let customer: Customer;
  let service: string;
  /** The relay deletes outbox rows as it publishes them: a trigger copies each into this table. */
  const copy = `test_wr_audit_${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'mamori-work-requests-'));
    platform = await CasePlatform.create(
      { ATTACHMENT_DIR: root, ATTACHMENT_SWEEP_INTERVAL_SECONDS: 0 },
      { ATTACHMENT_DIR: root },
    );
    ops = await platform.operator();
    customer = await platform.customer(undefined, 'user', 'ja');
    service = await platform.contract(ops, customer.tenant);
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
    await fs.rm(root, { recursive: true, force: true });
  });

  async function requestsOf(who: Customer): Promise<WorkRequestView[]> {
    const answer = await platform.api('GET', '/work-requests', { token: who.token, language: 'en' });
    expectStatus(answer, 200);
    return answer.body as WorkRequestView[];
  }

  it('lists the catalogue of the services a tenant contracts, in the reader’s language', async () => {
    const item = await newItem(platform, ops, service);
    const other = await newItem(
      platform,
      ops,
      await platform.contract(ops, (await platform.customer()).tenant),
    );

    const ja = await platform.api('GET', '/work-request-items', { token: customer.token, language: 'ja' });
    expectStatus(ja, 200);
    const listed = (ja.body as WorkRequestItemView[]).find((i) => i.id === item.id)!;
    expect(listed).toMatchObject({
      code: item.code,
      name: item.name.ja,
      description: 'URLをブロックします。',
    });
    expect(listed.fields.map((f) => [f.key, f.label, f.type, f.required])).toEqual(
      SAMPLE_FIELDS.map((f) => [f.key, f.label.ja, f.type, f.required]),
    );
    expect(listed.fields[2].options).toEqual([
      { value: 'high', label: '高' },
      { value: 'low', label: '低' },
    ]);
    expect((ja.body as WorkRequestItemView[]).some((i) => i.id === other.id)).toBe(false);

    const en = await platform.api('GET', '/work-request-items', { token: customer.token, language: 'en' });
    expect((en.body as WorkRequestItemView[]).find((i) => i.id === item.id)?.name).toBe(item.name.en);

    // An item of a service the tenant does not contract cannot be requested either.
    const refused = await platform.api('POST', '/work-requests', {
      token: customer.token,
      body: { itemId: other.id, fields: {} },
    });
    expect([refused.status, errorCode(refused)]).toEqual([400, 'validation_failed']);
    expect(Object.keys(refused.body.error.details.fields)).toEqual(['itemId']);
  });

  it('lets operators replace and withdraw items, refusing malformed forms and taken codes', async () => {
    const item = await newItem(platform, ops, service);
    const body = {
      code: item.code,
      name: { ja: '変更後', en: 'Changed' },
      description: { ja: '', en: '' },
      service,
      fields: [{ key: 'a', label: { ja: 'A', en: 'A' }, type: 'number', required: true }],
      active: false,
    };
    const updated = await platform.api('PUT', `/ops/work-request-items/${item.id}`, { token: ops, body });
    expectStatus(updated, 200);
    expect(updated.body).toMatchObject({ name: body.name, active: false, fields: body.fields });
    const listed = await platform.api('GET', '/work-request-items', { token: customer.token });
    expect((listed.body as WorkRequestItemView[]).some((i) => i.id === item.id)).toBe(false);

    const bad = await platform.api('POST', '/ops/work-request-items', {
      token: ops,
      body: {
        ...body,
        code: `${item.code}-2`,
        fields: [
          { key: 'a', label: { ja: 'A', en: 'A' }, type: 'select', required: true, options: [] },
          { key: 'a', label: { ja: 'A', en: 'A' }, type: 'colour', required: true },
        ],
      },
    });
    expect([bad.status, errorCode(bad)]).toEqual([400, 'validation_failed']);
    expect(Object.keys(bad.body.error.details.fields).some((f) => f.startsWith('fields.1'))).toBe(true);

    const taken = await platform.api('POST', '/ops/work-request-items', { token: ops, body });
    expect([taken.status, errorCode(taken)]).toEqual([409, 'conflict']);
    const missing = await platform.api('PUT', `/ops/work-request-items/${customer.user.id}`, {
      token: ops,
      body,
    });
    expect(missing.status).toBe(404);
    const byCustomer = await platform.api('GET', '/ops/work-request-items', { token: customer.token });
    expect(byCustomer.status).toBe(403);
  });

  it('checks submissions against random forms: 201 when right, else 400 naming exactly the wrong fields', async () => {
    await fc.assert(
      fc.asyncProperty(formCases, async ({ fields, submission, problems }) => {
        const item = await newItem(platform, ops, service, fields);
        const answer = await platform.api('POST', '/work-requests', {
          token: customer.token,
          body: { itemId: item.id, fields: submission },
        });
        if (problems.length === 0) {
          expectStatus(answer, 201);
          expect((answer.body as WorkRequestView).status).toBe('submitted');
        } else {
          expect([answer.status, errorCode(answer)]).toEqual([400, 'validation_failed']);
          expect(Object.keys(answer.body.error.details.fields).sort()).toEqual(problems);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('accepts a request into a case of category work request that holds the request’s files', async () => {
    const item = await newItem(platform, ops, service);
    const request = await submit(platform, customer, item.id);
    expect(request).toMatchObject({ status: 'submitted', item: { id: item.id, code: item.code } });
    const bytes = randomBytes(20_000);
    const uploaded = await uploadFile(platform.url, `/work-requests/${request.id}/attachments`, bytes, {
      token: customer.token,
      fileName: 'list.txt',
    });
    expectStatus(uploaded as never, 201);
    const attachmentId = (uploaded.body as { id: string }).id;
    expect((await requestsOf(customer)).find((r) => r.id === request.id)?.attachments).toEqual([
      expect.objectContaining({
        id: attachmentId,
        name: 'list.txt',
        size: bytes.length,
        sha256: sha256(bytes),
      }),
    ]);
    // Operators read the files before deciding; the customer can read them back.
    for (const [base, token] of [
      ['/ops/work-requests', ops],
      ['/work-requests', customer.token],
    ] as const) {
      const file = await download(platform.url, `${base}/${request.id}/attachments/${attachmentId}`, token);
      expect([file.status, file.headers.get('etag')]).toEqual([200, `"${sha256(bytes)}"`]);
      expect(file.bytes.equals(bytes)).toBe(true);
    }
    const stranger = await platform.customer();
    const foreign = await download(
      platform.url,
      `/work-requests/${request.id}/attachments/${attachmentId}`,
      stranger.token,
    );
    expect(foreign.status).toBe(404);
    const keysBefore = await storedKeys(root);

    const accepted = await platform.api('POST', `/ops/work-requests/${request.id}/accept`, { token: ops });
    expectStatus(accepted, 200);
    const { caseNumber } = accepted.body as WorkRequestAcceptedView;
    expect(caseNumber).toMatch(/^CS\d{7}$/);

    const detail = await platform.api('GET', `/cases/${caseNumber}`, { token: customer.token });
    expectStatus(detail, 200);
    const c = detail.body as CaseDetailView;
    // The requester's language is ja: the subject is the item's Japanese name.
    expect(c).toMatchObject({ subject: item.name.ja, service, requester: { id: customer.user.id } });
    expect(c.category).toBe('work_request');
    expect(c.description).toContain('https://bad.example/');
    expect(c.description).toContain('高');
    expect(c.attachments.map((a) => [a.id, a.name, a.size, a.sha256])).toEqual([
      [attachmentId, 'list.txt', bytes.length, sha256(bytes)],
    ]);
    const got = await download(
      platform.url,
      `/cases/${caseNumber}/attachments/${attachmentId}`,
      customer.token,
    );
    expect(got.status).toBe(200);
    expect(got.bytes.equals(bytes)).toBe(true);
    // Carried over by reference: no byte was copied.
    expect(await storedKeys(root)).toEqual(keysBefore);

    const mine = (await requestsOf(customer)).find((r) => r.id === request.id)!;
    expect(mine).toMatchObject({ status: 'accepted', caseNumber });
    expect(Date.parse(mine.decidedAt!)).toBeGreaterThanOrEqual(Date.parse(mine.submittedAt));

    for (const again of ['accept', 'reject']) {
      const answer = await platform.api('POST', `/ops/work-requests/${request.id}/${again}`, {
        token: ops,
        body: again === 'reject' ? { reason: 'late' } : undefined,
      });
      expect([answer.status, errorCode(answer)]).toEqual([409, 'invalid_transition']);
    }
    const late = await uploadFile(platform.url, `/work-requests/${request.id}/attachments`, bytes, {
      token: customer.token,
    });
    expect([late.status, late.body?.error?.code]).toEqual([409, 'work_request_decided']);
  });

  it('rejects with a reason the customer reads; a rejected request cannot be accepted', async () => {
    const item = await newItem(platform, ops, service);
    const request = await submit(platform, customer, item.id);
    const rejected = await platform.api('POST', `/ops/work-requests/${request.id}/reject`, {
      token: ops,
      body: { reason: '対象外のURLです' },
    });
    expectStatus(rejected, 200);
    expect(rejected.body as OpsWorkRequestView).toMatchObject({
      status: 'rejected',
      tenant: customer.tenant.number,
    });
    const mine = (await requestsOf(customer)).find((r) => r.id === request.id)!;
    expect(mine).toMatchObject({ status: 'rejected', reason: '対象外のURLです' });
    expect(mine.caseNumber).toBeUndefined();
    expect(mine.decidedAt).toBeDefined();
    const accept = await platform.api('POST', `/ops/work-requests/${request.id}/accept`, { token: ops });
    expect([accept.status, errorCode(accept)]).toEqual([409, 'invalid_transition']);

    const listed = await platform.api('GET', '/ops/work-requests?status=rejected', { token: ops });
    expectStatus(listed, 200);
    const rows = listed.body as OpsWorkRequestView[];
    expect(rows.some((r) => r.id === request.id)).toBe(true);
    expect(rows.every((r) => r.status === 'rejected')).toBe(true);
    const badStatus = await platform.api('GET', '/ops/work-requests?status=done', { token: ops });
    expect([badStatus.status, errorCode(badStatus)]).toEqual([400, 'validation_failed']);
  });

  it('decides each request once when operators accept and reject it at the same time: one case at most', async () => {
    const item = await newItem(platform, ops, service);
    const requests = await Promise.all(Array.from({ length: 6 }, () => submit(platform, customer, item.id)));
    const ops2 = await platform.operator();
    const answers = await Promise.all(
      requests.flatMap((r, i) => [
        platform.api('POST', `/ops/work-requests/${r.id}/accept`, { token: ops }),
        platform.api('POST', `/ops/work-requests/${r.id}/accept`, { token: ops2 }),
        ...(i % 2 === 0
          ? [
              platform.api('POST', `/ops/work-requests/${r.id}/reject`, {
                token: ops2,
                body: { reason: 'no' },
              }),
            ]
          : []),
      ]),
    );
    expect(answers.filter((a) => a.status !== 200).every((a) => errorCode(a) === 'invalid_transition')).toBe(
      true,
    );
    const perRequest = requests.map((r, i) => {
      const start = requests.slice(0, i).reduce((n, _, j) => n + (j % 2 === 0 ? 3 : 2), 0);
      return answers.slice(start, start + (i % 2 === 0 ? 3 : 2)).filter((a) => a.status === 200).length;
    });
    expect(perRequest).toEqual(requests.map(() => 1));
    const cases: { work_request_id: string; cases: string }[] = await platform.dataSource.query(
      `SELECT r.id AS work_request_id, count(c.id) AS cases
         FROM case_management.work_request r
         LEFT JOIN case_management.case_record c ON c.origin = 'work_request' AND c.id = r.case_id
        WHERE r.id = ANY($1::uuid[]) GROUP BY r.id`,
      [requests.map((r) => r.id)],
    );
    const all: { n: string }[] = await platform.dataSource.query(
      `SELECT count(*) AS n FROM case_management.case_activity
        WHERE event = 'created' AND data->>'workRequestId' = ANY($1::text[])`,
      [requests.map((r) => r.id)],
    );
    const mine = await requestsOf(customer);
    const decided = requests.map((r) => mine.find((m) => m.id === r.id)!);
    expect(Number(all[0].n)).toBe(decided.filter((d) => d.status === 'accepted').length);
    for (const d of decided) {
      const row = cases.find((c) => c.work_request_id === d.id)!;
      expect(Number(row.cases)).toBe(d.status === 'accepted' ? 1 : 0);
    }
  });

  it("keeps another tenant's requests out of reach (404) and out of its lists", async () => {
    const item = await newItem(platform, ops, service);
    const request = await submit(platform, customer, item.id);
    const stranger = await platform.customer();
    await platform.contract(ops, stranger.tenant, service);
    const attach = await uploadFile(
      platform.url,
      `/work-requests/${request.id}/attachments`,
      randomBytes(10),
      {
        token: stranger.token,
      },
    );
    expect([attach.status, attach.body?.error?.code]).toEqual([404, 'not_found']);
    expect((await requestsOf(stranger)).some((r) => r.id === request.id)).toBe(false);
    const colleague = await platform.customer(customer.tenant);
    expect((await requestsOf(colleague)).some((r) => r.id === request.id)).toBe(true);
    const asCustomer = await platform.api('POST', `/ops/work-requests/${request.id}/accept`, {
      token: stranger.token,
    });
    expect(asCustomer.status).toBe(403);
    const unknown = await platform.api('POST', `/ops/work-requests/${stranger.user.id}/accept`, {
      token: ops,
    });
    expect([unknown.status, errorCode(unknown)]).toEqual([404, 'not_found']);
  });

  it('records every change as a fact in the outbox, naming the tenant and no submitted text', async () => {
    const item = await newItem(platform, ops, service);
    const request = await submit(platform, customer, item.id);
    const uploaded = await uploadFile(
      platform.url,
      `/work-requests/${request.id}/attachments`,
      randomBytes(10),
      {
        token: customer.token,
      },
    );
    expectStatus(uploaded as never, 201);
    const accepted = await platform.api('POST', `/ops/work-requests/${request.id}/accept`, { token: ops });
    const { caseNumber } = accepted.body as WorkRequestAcceptedView;
    const other = await submit(platform, customer, item.id);
    await platform.api('POST', `/ops/work-requests/${other.id}/reject`, {
      token: ops,
      body: { reason: 'secret reason' },
    });
    const updated = await platform.api('PUT', `/ops/work-request-items/${item.id}`, {
      token: ops,
      body: { code: item.code, name: item.name, description: item.description, service, fields: [] },
    });
    expectStatus(updated, 200);

    const rows: {
      payload: {
        type: string;
        target?: { type: string; id: string };
        tenants?: string[];
        reasons?: string[];
      };
    }[] = await platform.dataSource.query(
      `SELECT payload FROM case_management.${copy}
          WHERE payload->'target'->>'id' = ANY($1::text[]) ORDER BY seq`,
      [[item.id, request.id, other.id, caseNumber]],
    );
    const facts = rows.map((r) => [r.payload.type, r.payload.target?.id]);
    expect(facts).toEqual([
      ['case-management.work_request_item.created', item.id],
      ['case-management.work_request.submitted', request.id],
      ['case-management.work_request.attachment_added', request.id],
      ['case-management.case.created', caseNumber],
      ['case-management.work_request.accepted', request.id],
      ['case-management.work_request.submitted', other.id],
      ['case-management.work_request.rejected', other.id],
      ['case-management.work_request_item.updated', item.id],
    ]);
    for (const { payload } of rows.filter((r) => !r.payload.type.includes('work_request_item'))) {
      expect(payload.tenants).toEqual([customer.tenant.number]);
    }
    const text = JSON.stringify(rows);
    expect(text).not.toContain('secret reason');
    expect(text).not.toContain('bad.example');
  });

  it('documents every route of API.md with its method', async () => {
    const docs = (await (await fetch(`${platform.url}/api/docs-json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const routes: [string, string][] = [
      ['get', '/api/v1/work-request-items'],
      ['post', '/api/v1/work-requests'],
      ['get', '/api/v1/work-requests'],
      ['post', '/api/v1/work-requests/{id}/attachments'],
      ['get', '/api/v1/work-requests/{requestId}/attachments/{id}'],
      ['get', '/api/v1/ops/work-requests/{requestId}/attachments/{id}'],
      ['get', '/api/v1/ops/work-requests'],
      ['post', '/api/v1/ops/work-requests/{id}/accept'],
      ['post', '/api/v1/ops/work-requests/{id}/reject'],
      ['get', '/api/v1/ops/work-request-items'],
      ['post', '/api/v1/ops/work-request-items'],
      ['put', '/api/v1/ops/work-request-items/{id}'],
    ];
    for (const [method, path] of routes) {
      expect([method, path, Object.hasOwn(docs.paths[path] ?? {}, method)]).toEqual([method, path, true]);
    }
  });
});

/** Every file the local store holds under `root`. */
async function storedKeys(root: string): Promise<string[]> {
  const entries = await fs.readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name))
    .sort();
}
