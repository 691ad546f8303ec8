import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { MicroserviceOptions } from '@nestjs/microservices';
import { parse } from 'csv-parse/sync';
import ExcelJS from 'exceljs';
import { connect, NatsConnection, StringCodec } from 'nats';
import { AuditEvent, AuditRecordView, ErrorCode } from '@app/contracts';
import {
  DrainingNatsServer,
  natsConnectionOptions,
  RpcErrorFilter,
  RpcServerInterceptor,
} from '@app/messaging';
import { call, jwksOf, natsSettingsAs, natsUserEnv, runSigningKeys } from '@app/testing';
import { parseAuditEventPayload } from '@app/audit/ingest/audit-event-payload.schema';
import { AuditEventRepository } from '@app/audit/store/audit-event.repository';
import { LOGGER } from '@app/observability';
import { accessToken, RunningGateway, startGateway } from '../gateway/gateway-harness';
import { configureAuditService, newAuditEvent, uniqueName } from './support/audit-harness';
import { pdfText } from './support/pdf-text';

jest.setTimeout(120_000);

const BASE = Date.parse('2026-02-01T00:00:00.000Z');
const TYPES = [
  'auth.login.succeeded',
  'auth.login.failed',
  'auth.session.ended',
  'case-management.case.created',
] as const;
const OUTCOMES = ['success', 'failure', 'denied', 'info'] as const;

interface Download {
  status: number;
  headers: Headers;
  bytes: Buffer;
}

/**
 * AUDIT-4 through HTTP: the gateway, the audit service answering over the real NATS (its own NATS
 * user and permissions), the real PostgreSQL. Filters, cursor paging, tenant admin against operator
 * access, and every export format.
 */
describe('GET /admin/audit-events and /ops/audit-events', () => {
  let nc: NatsConnection;
  let audit: INestApplication;
  let gw: RunningGateway;
  const tenantA = uniqueName('ta');
  const tenantB = uniqueName('tb');
  const users = [randomUUID(), randomUUID(), randomUUID()];
  const eventsA: AuditEvent[] = [];
  const eventsB: AuditEvent[] = [];
  const adminA = accessToken({ sub: randomUUID(), tenant: tenantA, role: 'admin', sfa: 1_763_769_600 });
  const adminB = accessToken({ sub: randomUUID(), tenant: tenantB, role: 'admin', sfa: 1_763_769_600 });
  const operator = accessToken({ sub: randomUUID(), tenant: null, role: 'operator' });
  const plainUser = accessToken({ sub: randomUUID(), tenant: tenantA, role: 'user' });

  const get = (url: string, token?: string) => call(gw.url, 'GET', `/api/v1${url}`, { token });
  async function download(url: string, token: string): Promise<Download> {
    const res = await fetch(`${gw.url}/api/v1${url}`, { headers: { authorization: `Bearer ${token}` } });
    return { status: res.status, headers: res.headers, bytes: Buffer.from(await res.arrayBuffer()) };
  }
  /** Every page of a query, following X-Next-Cursor. */
  async function allPages(url: string, token: string): Promise<AuditRecordView[][]> {
    const pages: AuditRecordView[][] = [];
    let cursor: string | null = null;
    do {
      const sep = url.includes('?') ? '&' : '?';
      const answer = await get(cursor ? `${url}${sep}cursor=${encodeURIComponent(cursor)}` : url, token);
      expect(answer.status).toBe(200);
      pages.push(answer.body as AuditRecordView[]);
      cursor = answer.headers.get('x-next-cursor');
    } while (cursor);
    return pages;
  }
  const newestFirst = (list: AuditEvent[]) =>
    [...list]
      .sort((a, b) => b.occurredAt.localeCompare(a.occurredAt) || b.id.localeCompare(a.id))
      .map((e) => e.id);

  beforeAll(async () => {
    configureAuditService(uniqueName('audit-test-http'));
    nc = await connect(natsConnectionOptions(natsSettingsAs('test-harness')));
    // Stands in for auth's key set, which the audit service verifies the callers' tokens with.
    nc.subscribe('auth.keys.jwks', {
      callback: (_err, msg) => {
        const packet = JSON.parse(StringCodec().decode(msg.data)) as { id: string };
        msg.respond(
          StringCodec().encode(
            JSON.stringify({ id: packet.id, response: jwksOf(runSigningKeys()), isDisposed: true }),
          ),
        );
      },
    });
    // The audit service as startService runs it: NATS request/reply in its queue group.
    const { AuditModule } = await import('@app/audit/audit.module');
    audit = await NestFactory.create(AuditModule, { logger: false });
    audit.useGlobalFilters(new RpcErrorFilter(audit.get(LOGGER)));
    audit.useGlobalInterceptors(audit.get(RpcServerInterceptor));
    audit.connectMicroservice<MicroserviceOptions>(
      {
        strategy: new DrainingNatsServer({
          ...natsConnectionOptions(natsSettingsAs('audit'), 'audit'),
          queue: 'audit',
        }),
      },
      { inheritAppConfig: true },
    );
    await audit.init();
    await audit.startAllMicroservices();
    gw = await startGateway({ ...natsUserEnv('gateway'), NATS_REQUEST_TIMEOUT_MS: 10_000 });

    for (let i = 0; i < 260; i += 1) {
      eventsA.push(
        newAuditEvent({
          type: TYPES[i % TYPES.length],
          outcome: OUTCOMES[i % 3],
          // Pairs of events share a time: the id orders them.
          occurredAt: new Date(BASE + Math.floor(i / 2) * 60_000).toISOString(),
          actor: { userId: users[i % 3], tenant: tenantA, ip: '198.51.100.7', userAgent: 'Mozilla/5.0' },
          target: { type: 'case', id: i % 40 === 3 ? `山田太郎の問い合わせ-${i}` : `C-${i}` },
          reasons: i % 40 === 0 ? ['=HYPERLINK("http://evil.test")'] : ['ok'],
        }),
      );
    }
    for (let i = 0; i < 20; i += 1) {
      eventsB.push(
        newAuditEvent({ occurredAt: new Date(BASE + i * 1000).toISOString(), actor: { tenant: tenantB } }),
      );
    }
    const repository = audit.get(AuditEventRepository);
    const all = [...eventsA, ...eventsB].map((event) => {
      const parsed = parseAuditEventPayload(Buffer.from(JSON.stringify(event)));
      if (!parsed.ok) {
        throw new Error(parsed.problems.join());
      }
      return parsed.event;
    });
    await repository.appendBatch(all, new Date());
  });

  afterAll(async () => {
    await gw?.close();
    await audit?.close();
    await nc?.drain();
  });

  it("pages the active tenant's events with X-Next-Cursor: every event once, newest first", async () => {
    const first = await get('/admin/audit-events', adminA);
    expect(first.status).toBe(200);
    expect(first.body).toHaveLength(100);
    expect(first.headers.get('x-next-cursor')).toEqual(expect.any(String));
    expect(first.headers.get('link')).toMatch(/^<\/api\/v1\/admin\/audit-events\?cursor=.+>; rel="next"$/);
    const pages = await allPages('/admin/audit-events?limit=70', adminA);
    expect(pages.map((p) => p.length)).toEqual([70, 70, 70, 50]);
    expect(pages.flat().map((e) => e.id)).toEqual(newestFirst(eventsA));
  });

  it('filters by type prefix, user, outcome and time', async () => {
    const cases: [string, (e: AuditEvent) => boolean][] = [
      ['type=auth.login', (e) => e.type.startsWith('auth.login')],
      ['type=case-management.*', (e) => e.type.startsWith('case-management.')],
      [`userId=${users[1]}`, (e) => e.actor.userId === users[1]],
      ['outcome=failure', (e) => e.outcome === 'failure'],
      [
        `from=${new Date(BASE + 30 * 60_000).toISOString()}&to=${new Date(BASE + 90 * 60_000).toISOString()}`,
        (e) =>
          e.occurredAt >= new Date(BASE + 30 * 60_000).toISOString() &&
          e.occurredAt < new Date(BASE + 90 * 60_000).toISOString(),
      ],
      [
        `type=auth.&outcome=success&userId=${users[0]}`,
        (e) => e.type.startsWith('auth.') && e.outcome === 'success' && e.actor.userId === users[0],
      ],
    ];
    for (const [query, keep] of cases) {
      const pages = await allPages(`/admin/audit-events?limit=40&${query}`, adminA);
      expect(pages.flat().map((e) => e.id)).toEqual(newestFirst(eventsA.filter(keep)));
    }
  });

  it("never shows a tenant admin another tenant's events", async () => {
    const mine = (await allPages('/admin/audit-events?limit=500', adminB)).flat();
    expect(mine.map((e) => e.id)).toEqual(newestFirst(eventsB));
    // A tenant in the query string is refused, not obeyed.
    const smuggled = await get(`/admin/audit-events?tenant=${tenantA}`, adminB);
    expect(smuggled.status).toBe(400);
    expect(smuggled.body.error.code).toBe(ErrorCode.ValidationFailed);
    // A cursor of tenant A's trail is worthless in tenant B.
    const cursor = (await get('/admin/audit-events?limit=5', adminA)).headers.get('x-next-cursor') as string;
    const foreign = await get(`/admin/audit-events?limit=5&cursor=${encodeURIComponent(cursor)}`, adminB);
    expect(foreign.status).toBe(400);
    expect(foreign.body.error.code).toBe(ErrorCode.ValidationFailed);
    // Nor may anyone but an admin read the tenant's trail.
    expect((await get('/admin/audit-events', plainUser)).status).toBe(403);
    expect((await get('/admin/audit-events')).status).toBe(401);
  });

  it('lets operators read any tenant, and nobody else use /ops', async () => {
    const firstOps = await get(`/ops/audit-events?tenant=${tenantB}&limit=8`, operator);
    const link = /^<\/api\/v1(\/ops\/audit-events\?[^>]+)>; rel="next"$/.exec(
      firstOps.headers.get('link') ?? '',
    );
    // The link is the next page, tenant and filters included.
    const second = await get(link![1], operator);
    expect(second.body.map((e: AuditRecordView) => e.id)).toEqual(newestFirst(eventsB).slice(8, 16));
    const pages = await allPages(`/ops/audit-events?tenant=${tenantB}&limit=8`, operator);
    expect(pages.flat().map((e) => e.id)).toEqual(newestFirst(eventsB));
    const a = await get(`/ops/audit-events?tenant=${tenantA}&outcome=denied&limit=500`, operator);
    expect(a.body.map((e: AuditRecordView) => e.id)).toEqual(
      newestFirst(eventsA.filter((e) => e.outcome === 'denied')),
    );
    for (const token of [adminA, plainUser]) {
      const refused = await get(`/ops/audit-events?tenant=${tenantA}`, token);
      expect(refused.status).toBe(403);
      expect(refused.body.error.code).toBe(ErrorCode.Forbidden);
    }
    expect((await get('/ops/audit-events', operator)).status).toBe(400);
  });

  it('answers a forged or mangled cursor with 400, never 500', async () => {
    const cursor = (await get('/admin/audit-events?limit=5', adminA)).headers.get('x-next-cursor') as string;
    const [body, signature] = cursor.split('.');
    const moved = JSON.parse(Buffer.from(body, 'base64url').toString());
    moved.t = '2099-01-01T00:00:00.000000Z';
    for (const bad of [
      'x',
      '..',
      `${body}.`,
      `${Buffer.from(JSON.stringify(moved)).toString('base64url')}.${signature}`,
      'é'.repeat(10),
    ]) {
      const answer = await get(`/admin/audit-events?cursor=${encodeURIComponent(bad)}`, adminA);
      expect(answer.status).toBe(400);
      expect(answer.body.error.code).toBe(ErrorCode.ValidationFailed);
    }
    // The same cursor with other filters is refused too.
    const other = await get(
      `/admin/audit-events?limit=5&outcome=info&cursor=${encodeURIComponent(cursor)}`,
      adminA,
    );
    expect(other.status).toBe(400);
  });

  it('exports CSV of every matching event (past one page), formula starts neutralised', async () => {
    const file = await download('/admin/audit-events?format=csv', adminA);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(file.headers.get('content-disposition')).toMatch(
      new RegExp(`^attachment; filename="audit-events-${tenantA}-\\d{8}-\\d{4}\\.csv"$`),
    );
    expect([...file.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const [headers, ...rows] = parse(file.bytes, { bom: true }) as string[][];
    expect(headers.slice(0, 4)).toEqual(['Time (UTC)', 'Type', 'Outcome', 'User (id)']);
    expect(rows.map((r) => r[headers.indexOf('Event id')])).toEqual(newestFirst(eventsA));
    const reasons = rows.map((r) => r[headers.indexOf('Reasons')]);
    expect(reasons).toContain(`'=HYPERLINK("http://evil.test")`);
    expect(rows.map((r) => r[headers.indexOf('Target')])).toContain('case:山田太郎の問い合わせ-3');
  });

  it('exports filtered xlsx and JSON with the same events as the pages', async () => {
    const filtered = newestFirst(eventsA.filter((e) => e.type.startsWith('auth.login')));
    const xlsx = await download('/admin/audit-events?format=xlsx&type=auth.login', adminA);
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('content-type')).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(xlsx.bytes as unknown as ArrayBuffer);
    const ids: string[] = [];
    workbook.worksheets[0].eachRow((row, n) => {
      if (n > 1) {
        ids.push(String(row.getCell(11).value));
      }
    });
    expect(ids).toEqual(filtered);

    const json = await download(`/ops/audit-events?tenant=${tenantA}&format=json&type=auth.login`, operator);
    expect(json.status).toBe(200);
    expect(json.headers.get('content-type')).toMatch(/^application\/json/);
    const events = JSON.parse(json.bytes.toString('utf8')) as AuditRecordView[];
    expect(events.map((e) => e.id)).toEqual(filtered);
    expect(events[0]).toEqual(expect.objectContaining({ seq: expect.any(Number), hash: expect.any(String) }));
  });

  it('exports a PDF in which Japanese text prints as itself', async () => {
    const file = await download('/admin/audit-events?format=pdf&type=case-management.', adminA);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-type')).toBe('application/pdf');
    expect(file.bytes.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = await pdfText(file.bytes);
    expect(text).toContain('Audit events');
    expect(text).toContain(`Tenant ${tenantA}`);
    expect(text).toContain('山田太郎の問い合わせ-');
    for (const event of eventsA.filter((e) => e.type.startsWith('case-management.'))) {
      expect(text).toContain(event.target!.id);
    }
  });

  it("exports through the files session's cookie alone, never a page, and only the cookie's own tenant", async () => {
    const session = await call(gw.url, 'POST', '/api/v1/files/session', { token: adminB });
    expect(session.status).toBe(204);
    const paths = session.headers.getSetCookie().map((line) => /; Path=([^;]+)/.exec(line)?.[1]);
    expect(paths).toEqual(expect.arrayContaining(['/api/v1/admin/audit-events']));
    const byCookie = (url: string, token: string) =>
      call(gw.url, 'GET', `/api/v1${url}`, { headers: { cookie: `mamori_files=${token}` } });

    // Tenant B's admin exports tenant B's trail, whatever the link names.
    const file = await byCookie('/admin/audit-events?format=json', adminB);
    expect(file.status).toBe(200);
    expect(file.headers.get('content-disposition')).toMatch(/^attachment; filename="audit-events-tb-/);
    expect((file.body as AuditRecordView[]).map((e) => e.id)).toEqual(newestFirst(eventsB));
    expect((await byCookie(`/admin/audit-events?format=csv&tenant=${tenantA}`, adminB)).status).toBe(400);
    expect((await byCookie(`/ops/audit-events?format=csv&tenant=${tenantA}`, adminB)).status).toBe(403);
    expect((await byCookie('/admin/audit-events?format=csv', plainUser)).status).toBe(403);
    // The pages of the same routes still need the header.
    for (const url of [
      '/admin/audit-events',
      '/admin/audit-events?limit=5',
      '/admin/audit-events?format=docx',
    ]) {
      expect([url, (await byCookie(url, adminB)).status]).toEqual([url, 401]);
    }
    const operatorFile = await byCookie(`/ops/audit-events?tenant=${tenantB}&format=csv`, operator);
    expect(operatorFile.status).toBe(200);
    expect(operatorFile.headers.get('content-type')).toMatch(/^text\/csv/);
    expect((await byCookie(`/ops/audit-events?tenant=${tenantB}`, operator)).status).toBe(401);
  });

  it('refuses a bad export query before any byte of a file is sent', async () => {
    const answer = await get('/admin/audit-events?format=csv&cursor=forged', adminA);
    expect(answer.status).toBe(400);
    expect((await get('/admin/audit-events?format=docx', adminA)).status).toBe(400);
  });

  it('serves the AsyncAPI document of the stream without a token, as committed', async () => {
    const res = await fetch(`${gw.url}/api/asyncapi.json`);
    expect(res.status).toBe(200);
    const committed = JSON.parse(
      readFileSync(path.resolve(__dirname, '../../../docs/asyncapi.json'), 'utf8'),
    );
    expect(await res.json()).toEqual(committed);
  });
});
