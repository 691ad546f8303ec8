import { randomBytes, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import { connect } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { LocalAttachmentStore } from '@app/attachment-store';
import { AuditEvent, CaseDetailView, CaseSummaryView } from '@app/contracts';
import { expectStatus, waitFor } from '@app/testing';
import { Readable } from 'node:stream';
import { AttachmentsService } from '@app/case-management/attachments/attachments.service';
import { OrphanAttachmentsSweeper } from '@app/case-management/attachments/orphan-attachments.sweeper';
import { download, sha256, uploadFile } from './attachment-client';
import { CasePlatform, Customer } from './case-platform';

const MAX_BYTES = 1024 * 1024;
const GRACE_SECONDS = 3600;

/** A PDF as file-type recognises one: its signature, then filler. */
function pdf(size: number): Buffer {
  const bytes = randomBytes(size);
  Buffer.from('%PDF-1.7\n').copy(bytes, 0);
  return bytes;
}

/** The start of an ELF executable (a Linux program), which the default deny list refuses. */
function elf(): Buffer {
  const bytes = Buffer.alloc(8192, 0);
  Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0x02, 0x01, 0x01, 0x00]).copy(bytes, 0);
  bytes.writeUInt16LE(2, 16); // e_type: executable
  bytes.writeUInt16LE(0x3e, 18); // e_machine: x86-64
  return bytes;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/**
 * CASE-6 attachments end to end through the gateway with the local filesystem store: streamed upload
 * with SHA-256, size and sniffed type; download with ETag, Range, Content-Disposition and nosniff;
 * tenant isolation; refused types and the size limit leaving nothing behind; the orphan sweep.
 */
describe('case attachments (CASE-6), local store', () => {
  let platform: CasePlatform;
  let root: string;
  let ops: string;
  let customer: Customer;
  let service: string;
  const copy = `test_attach_audit_${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'mamori-attachments-'));
    platform = await CasePlatform.create(
      {
        ATTACHMENT_DIR: root,
        ATTACHMENT_ORPHAN_GRACE_SECONDS: GRACE_SECONDS,
        ATTACHMENT_SWEEP_INTERVAL_SECONDS: 0,
      },
      { ATTACHMENT_DIR: root, ATTACHMENT_MAX_BYTES: MAX_BYTES },
    );
    const db = platform.dataSource;
    await db.query(
      `CREATE TABLE case_management.${copy} (seq bigserial PRIMARY KEY, payload jsonb NOT NULL)`,
    );
    await db.query(`CREATE FUNCTION case_management.${copy}() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN INSERT INTO case_management.${copy} (payload) VALUES (NEW.payload); RETURN NEW; END $$`);
    await db.query(
      `CREATE TRIGGER ${copy} AFTER INSERT ON case_management.outbox FOR EACH ROW EXECUTE FUNCTION case_management.${copy}()`,
    );
    ops = await platform.operator();
    customer = await platform.customer();
    service = await platform.contract(ops, customer.tenant);
  });

  afterAll(async () => {
    const db = platform.dataSource;
    await db.query(`DROP TRIGGER ${copy} ON case_management.outbox`);
    await db.query(`DROP FUNCTION case_management.${copy}()`);
    await db.query(`DROP TABLE case_management.${copy}`);
    await platform.close();
    await fs.rm(root, { recursive: true, force: true });
  });

  async function openCase(who: Customer = customer): Promise<string> {
    const created = await platform.api('POST', '/cases', {
      token: who.token,
      body: { service, category: 'fault', subject: 'VPN down', description: '<p>It is down.</p>' },
    });
    expectStatus(created, 201);
    return (created.body as CaseSummaryView).number;
  }

  async function facts(number: string): Promise<AuditEvent[]> {
    const rows: { payload: AuditEvent }[] = await platform.dataSource.query(
      `SELECT payload FROM case_management.${copy} ORDER BY seq`,
    );
    return rows.map((r) => r.payload).filter((e) => e.target?.id === number);
  }

  async function committedOf(number: string): Promise<CaseDetailView['attachments']> {
    const detail = await platform.api('GET', `/cases/${number}`, { token: customer.token });
    expectStatus(detail, 200);
    return (detail.body as CaseDetailView).attachments;
  }

  it('streams an upload to the store and serves it back: SHA-256 ETag, sniffed type, nosniff, RFC 5987 name', async () => {
    const number = await openCase();
    const bytes = pdf(300_000);
    const uploaded = await uploadFile(platform.url, `/cases/${number}/attachments`, bytes, {
      token: customer.token,
      fileName: '../報告書 <final>.pdf',
      contentLength: true,
    });
    expect(uploaded.status).toBe(201);
    expect(uploaded.body).toEqual({
      id: expect.any(String),
      name: '報告書 _final_.pdf',
      size: bytes.length,
      sha256: sha256(bytes),
      contentType: 'application/pdf',
    });
    const id = uploaded.body.id as string;

    const detail = (await platform.api('GET', `/cases/${number}`, { token: customer.token }))
      .body as CaseDetailView;
    expect(detail.attachments).toEqual([
      {
        id,
        name: '報告書 _final_.pdf',
        size: bytes.length,
        sha256: sha256(bytes),
        contentType: 'application/pdf',
        uploadedAt: expect.any(String),
        uploadedBy: { id: customer.user.id, name: expect.any(String) },
      },
    ]);
    const entry = detail.activity.find((a) => a.event === 'attachment_added');
    expect(entry).toMatchObject({
      kind: 'system',
      author: { id: customer.user.id, role: 'customer' },
      data: { attachmentId: id, name: '報告書 _final_.pdf', size: bytes.length },
    });

    // The bytes are stored under ids, not under anything of the name.
    const stored = await filesUnder(path.join(root, 'objects'));
    const mine = stored.filter((f) => f.endsWith(id));
    expect(mine).toHaveLength(1);
    expect(path.relative(root, mine[0]).split(path.sep)).toEqual([
      'objects',
      customer.tenant.number,
      expect.stringMatching(/^[0-9a-f-]{36}$/),
      id,
    ]);

    const got = await download(platform.url, `/cases/${number}/attachments/${id}`, customer.token);
    expect(got.status).toBe(200);
    expect(sha256(got.bytes)).toBe(sha256(bytes));
    expect(got.headers.get('etag')).toBe(`"${sha256(bytes)}"`);
    expect(got.headers.get('content-type')).toBe('application/pdf');
    expect(got.headers.get('x-content-type-options')).toBe('nosniff');
    expect(got.headers.get('accept-ranges')).toBe('bytes');
    const disposition = got.headers.get('content-disposition') ?? '';
    expect(disposition).toMatch(/^attachment; filename="[\x20-\x7e]+"; filename\*=UTF-8''/);
    expect(disposition).toContain(
      `filename*=UTF-8''${encodeURIComponent('報告書 _final_.pdf').replace(/'/g, '%27')}`,
    );

    // Each upload and download is an audit fact, without the file's name.
    const recorded = await facts(number);
    expect(recorded.map((e) => e.type)).toEqual([
      'case-management.case.created',
      'case-management.case.attachment_added',
      'case-management.case.attachment_downloaded',
    ]);
    expect(recorded[1]).toMatchObject({
      actor: { userId: customer.user.id, tenant: customer.tenant.number },
      outcome: 'success',
      tenants: [customer.tenant.number],
    });
    expect(recorded[1].reasons).toContain(`attachment:${id}`);
    expect(JSON.stringify(recorded)).not.toContain('final');
  });

  it('answers Range with 206 and the exact bytes, If-None-Match with 304, and a range past the end with 416', async () => {
    const number = await openCase();
    const bytes = pdf(100_000);
    const uploaded = await uploadFile(platform.url, `/cases/${number}/attachments`, bytes, {
      token: customer.token,
    });
    expect(uploaded.status).toBe(201);
    const url = `/cases/${number}/attachments/${uploaded.body.id as string}`;
    const etag = `"${sha256(bytes)}"`;

    const middle = await download(platform.url, url, customer.token, { range: 'bytes=1000-1999' });
    expect(middle.status).toBe(206);
    expect(middle.headers.get('content-range')).toBe(`bytes 1000-1999/${bytes.length}`);
    expect(middle.headers.get('content-length')).toBe('1000');
    expect(middle.bytes.equals(bytes.subarray(1000, 2000))).toBe(true);

    const suffix = await download(platform.url, url, customer.token, { range: 'bytes=-10' });
    expect(suffix.status).toBe(206);
    expect(suffix.bytes.equals(bytes.subarray(bytes.length - 10))).toBe(true);

    const resumed = await download(platform.url, url, customer.token, {
      range: 'bytes=99990-',
      'if-range': etag,
    });
    expect(resumed.status).toBe(206);
    expect(resumed.bytes.equals(bytes.subarray(99_990))).toBe(true);

    // A changed representation (another ETag in If-Range) gets the whole file.
    const stale = await download(platform.url, url, customer.token, {
      range: 'bytes=0-9',
      'if-range': '"other"',
    });
    expect(stale.status).toBe(200);
    expect(stale.bytes.length).toBe(bytes.length);

    const past = await download(platform.url, url, customer.token, { range: `bytes=${bytes.length}-` });
    expect(past.status).toBe(416);
    expect(past.headers.get('content-range')).toBe(`bytes */${bytes.length}`);
    expect(JSON.parse(past.bytes.toString('utf8')).error.code).toBe('range_not_satisfiable');

    const unchanged = await download(platform.url, url, customer.token, { 'if-none-match': `"x", ${etag}` });
    expect(unchanged.status).toBe(304);
    expect(unchanged.bytes.length).toBe(0);
    expect(unchanged.headers.get('etag')).toBe(etag);
  });

  it("keeps tenants apart: another tenant's attachment is 404 exactly as a missing one, and its case takes no upload", async () => {
    const number = await openCase();
    const bytes = pdf(5000);
    const uploaded = await uploadFile(platform.url, `/cases/${number}/attachments`, bytes, {
      token: customer.token,
    });
    expect(uploaded.status).toBe(201);
    const id = uploaded.body.id as string;

    const stranger = await platform.customer();
    const foreign = await download(platform.url, `/cases/${number}/attachments/${id}`, stranger.token);
    const missing = await download(
      platform.url,
      `/cases/${number}/attachments/${randomUUID()}`,
      stranger.token,
    );
    const nowhere = await download(platform.url, `/cases/CS9999999/attachments/${id}`, stranger.token);
    for (const answer of [foreign, missing, nowhere]) {
      expect(answer.status).toBe(404);
      const body = JSON.parse(answer.bytes.toString('utf8'));
      expect(body.error.code).toBe('not_found');
      expect(Object.keys(body.error).sort()).toEqual(['code', 'message', 'requestId']);
    }
    const intrusion = await uploadFile(platform.url, `/cases/${number}/attachments`, pdf(5000), {
      token: stranger.token,
    });
    expect(intrusion.status).toBe(404);
    expect(await committedOf(number)).toHaveLength(1);

    // A colleague in the same tenant may read it; so may an operator, through the operators' route.
    const colleague = await platform.customer(customer.tenant);
    const shared = await download(platform.url, `/cases/${number}/attachments/${id}`, colleague.token);
    expect(shared.status).toBe(200);
    const byOperator = await download(platform.url, `/ops/cases/${number}/attachments/${id}`, ops);
    expect(byOperator.status).toBe(200);
    expect(byOperator.bytes.equals(bytes)).toBe(true);
  });

  it("lets operators attach to any tenant's case (a monthly report), shown as the provider", async () => {
    const number = await openCase();
    const report = pdf(20_000);
    const uploaded = await uploadFile(platform.url, `/ops/cases/${number}/attachments`, report, {
      token: ops,
      fileName: 'monthly-report-2026-11.pdf',
    });
    expect(uploaded.status).toBe(201);
    const detail = (await platform.api('GET', `/cases/${number}`, { token: customer.token }))
      .body as CaseDetailView;
    expect(detail.attachments.map((a) => [a.name, a.uploadedBy?.name])).toEqual([
      ['monthly-report-2026-11.pdf', 'SOC'],
    ]);
    expect(detail.activity.find((a) => a.event === 'attachment_added')?.author?.role).toBe('operator');
    const got = await download(
      platform.url,
      `/cases/${number}/attachments/${uploaded.body.id as string}`,
      customer.token,
    );
    expect(got.bytes.equals(report)).toBe(true);
  });

  it('refuses a program by its bytes whatever its name (415) and keeps none of it', async () => {
    const number = await openCase();
    const before = await filesUnder(root);
    const refused = await uploadFile(platform.url, `/cases/${number}/attachments`, elf(), {
      token: customer.token,
      fileName: 'harmless.pdf',
    });
    expect(refused.status).toBe(415);
    expect(refused.body.error.code).toBe('attachment_type_refused');
    const windows = Buffer.alloc(4096, 0);
    windows.write('MZ', 0, 'latin1');
    const exe = await uploadFile(platform.url, `/cases/${number}/attachments`, windows, {
      token: customer.token,
      fileName: 'invoice.txt',
    });
    expect(exe.status).toBe(415);
    expect(await committedOf(number)).toEqual([]);
    expect(await filesUnder(root)).toEqual(before);

    // Text and unknown binaries are accepted as such (never as what their names claim).
    const text = await uploadFile(
      platform.url,
      `/cases/${number}/attachments`,
      Buffer.from('<script>alert(1)</script>'),
      {
        token: customer.token,
        fileName: 'page.html',
      },
    );
    expect(text.status).toBe(201);
    expect(text.body.contentType).toBe('text/plain');
  });

  it('cuts an upload off past ATTACHMENT_MAX_BYTES mid-stream (413) and keeps no byte of it', async () => {
    const number = await openCase();
    const before = await filesUnder(root);
    async function* oversized(): AsyncGenerator<Buffer> {
      yield pdf(64 * 1024);
      for (let i = 0; i < 47; i++) {
        yield randomBytes(64 * 1024);
      }
    }
    // Chunked: the gateway cannot know the size before the bytes pass the limit.
    const cut = await uploadFile(platform.url, `/cases/${number}/attachments`, oversized(), {
      token: customer.token,
    });
    expect(cut.status).toBe(413);
    expect(cut.body.error.code).toBe('attachment_too_large');
    expect(await committedOf(number)).toEqual([]);
    expect(await filesUnder(root)).toEqual(before);

    // Exactly the limit is accepted.
    const exact = await uploadFile(platform.url, `/cases/${number}/attachments`, pdf(MAX_BYTES), {
      token: customer.token,
    });
    expect(exact.status).toBe(201);
    expect(exact.body.size).toBe(MAX_BYTES);

    // A declared length far past the limit is refused before a byte is read or a key reserved.
    const pending = await platform.dataSource.query(
      `SELECT count(*)::int AS n FROM case_management.case_attachment WHERE committed_at IS NULL`,
    );
    const declared = await uploadFile(platform.url, `/cases/${number}/attachments`, pdf(3 * MAX_BYTES), {
      token: customer.token,
      contentLength: true,
    });
    expect(declared.status).toBe(413);
    expect(
      await platform.dataSource.query(
        `SELECT count(*)::int AS n FROM case_management.case_attachment WHERE committed_at IS NULL`,
      ),
    ).toEqual(pending);
  });

  it('removes what an upload wrote when its client goes away mid-body', async () => {
    const number = await openCase();
    const before = await filesUnder(root);
    const boundary = 'gone-away';
    const socket = connect(Number(new URL(platform.url).port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(
      `POST /api/v1/cases/${number}/attachments HTTP/1.1\r\nHost: 127.0.0.1\r\n` +
        `Authorization: Bearer ${customer.token}\r\nContent-Type: multipart/form-data; boundary=${boundary}\r\n` +
        `Transfer-Encoding: chunked\r\n\r\n`,
    );
    const head = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.pdf"\r\n\r\n`),
      pdf(256 * 1024),
    ]);
    socket.write(`${head.length.toString(16)}\r\n`);
    socket.write(head);
    socket.write('\r\n');
    // The bytes reach the store's temporary file; then the client vanishes.
    await waitFor(async () => (await filesUnder(path.join(root, 'tmp'))).length > 0 || undefined, {
      timeoutMs: 10_000,
    });
    socket.destroy();
    await waitFor(async () => ((await filesUnder(root)).length === before.length ? true : undefined), {
      timeoutMs: 10_000,
    });
    expect(await filesUnder(root)).toEqual(before);
    expect(await committedOf(number)).toEqual([]);
  });

  it('refuses malformed uploads with 400 and a closed case with 409', async () => {
    const number = await openCase();
    const noFile = await uploadFile(platform.url, `/cases/${number}/attachments`, pdf(100), {
      token: customer.token,
      field: 'document',
    });
    expect(noFile.status).toBe(400);
    expect(noFile.body.error).toMatchObject({
      code: 'validation_failed',
      details: { fields: { file: expect.any(Array) } },
    });
    const json = await platform.api('POST', `/cases/${number}/attachments`, {
      token: customer.token,
      body: { file: 'x' },
    });
    expect(json.status).toBe(400);
    const badId = await download(platform.url, `/cases/${number}/attachments/not-a-uuid`, customer.token);
    expect(badId.status).toBe(400);

    expectStatus(await platform.api('POST', `/cases/${number}/close`, { token: customer.token }), 200);
    const closed = await uploadFile(platform.url, `/cases/${number}/attachments`, pdf(100), {
      token: customer.token,
    });
    expect(closed.status).toBe(409);
    expect(closed.body.error.code).toBe('case_closed');
  });

  it('sweeps bytes no committed attachment names once the grace has passed, and nothing else', async () => {
    const number = await openCase();
    const kept = await uploadFile(platform.url, `/cases/${number}/attachments`, pdf(1000), {
      token: customer.token,
    });
    expect(kept.status).toBe(201);
    const [{ id: caseId }]: { id: string }[] = await platform.dataSource.query(
      `SELECT id FROM case_management.case_record WHERE number = $1`,
      [number],
    );
    // Two uploads whose gateway died after storing the bytes and before the commit: one old, one new.
    const store = new LocalAttachmentStore(root);
    const orphan = async (createdAt: Date) => {
      const id = randomUUID();
      const key = `${customer.tenant.number}/${caseId}/${id}`;
      await platform.dataSource.query(
        `INSERT INTO case_management.case_attachment (id, case_id, tenant_number, storage_key, uploaded_by_id,
           uploaded_by_name, uploaded_by_role, created_at) VALUES ($1, $2, $3, $4, $5, 'x', 'customer', $6)`,
        [id, caseId, customer.tenant.number, key, customer.user.id, createdAt],
      );
      await store.put(key, Readable.from([randomBytes(2000)]));
      return { id, key };
    };
    const now = platform.clock.now();
    const old = await orphan(new Date(now.getTime() - (GRACE_SECONDS + 60) * 1000));
    const recent = await orphan(new Date(now.getTime() - 60 * 1000));
    // And a temporary file a crash left mid-write, older than the grace.
    await fs.mkdir(path.join(root, 'tmp'), { recursive: true });
    const partial = path.join(root, 'tmp', `${randomUUID()}.part`);
    await fs.writeFile(partial, randomBytes(100));
    const longAgo = new Date(now.getTime() - (GRACE_SECONDS + 60) * 1000);
    await fs.utimes(partial, longAgo, longAgo);

    const counts = await platform.cases.get(OrphanAttachmentsSweeper).sweepOnce(customer.tenant.number);
    expect(counts.orphans).toBeGreaterThanOrEqual(1);
    expect(counts.unfinished).toBeGreaterThanOrEqual(1);
    const exists = async (key: string) =>
      fs.access(path.join(root, 'objects', ...key.split('/'))).then(
        () => true,
        () => false,
      );
    expect(await exists(old.key)).toBe(false);
    expect(await exists(recent.key)).toBe(true);
    await expect(fs.access(partial)).rejects.toThrow();
    const rows: { id: string }[] = await platform.dataSource.query(
      `SELECT id FROM case_management.case_attachment WHERE id = ANY($1::uuid[])`,
      [[old.id, recent.id, kept.body.id]],
    );
    expect(rows.map((r) => r.id).sort()).toEqual([recent.id, kept.body.id].sort());
    const still = await download(
      platform.url,
      `/cases/${number}/attachments/${kept.body.id as string}`,
      customer.token,
    );
    expect(still.status).toBe(200);

    // Once its grace has passed too, the recent one goes. (Its own row is aged rather than the clock
    // advanced: the sweep is database-wide, and other files' uploads may be in flight.)
    await platform.dataSource.query(
      `UPDATE case_management.case_attachment SET created_at = created_at - interval '1 hour' WHERE id = $1`,
      [recent.id],
    );
    await platform.cases.get(OrphanAttachmentsSweeper).sweepOnce(customer.tenant.number);
    expect(await exists(recent.key)).toBe(false);
    expect(await committedOf(number)).toHaveLength(1);
  });

  it('lets a commit and the sweep racing for the same uploads never both win: no record survives without its bytes', async () => {
    const number = await openCase();
    const [{ id: caseId }]: { id: string }[] = await platform.dataSource.query(
      `SELECT id FROM case_management.case_record WHERE number = $1`,
      [number],
    );
    const store = new LocalAttachmentStore(root);
    const late = new Date(platform.clock.now().getTime() - (GRACE_SECONDS + 60) * 1000);
    // Twenty uploads whose bytes are stored and whose commits arrive just as the grace runs out.
    const uploads = await Promise.all(
      Array.from({ length: 20 }, async () => {
        const id = randomUUID();
        const key = `${customer.tenant.number}/${caseId}/${id}`;
        await platform.dataSource.query(
          `INSERT INTO case_management.case_attachment (id, case_id, tenant_number, storage_key, uploaded_by_id,
             uploaded_by_name, uploaded_by_role, created_at) VALUES ($1, $2, $3, $4, $5, 'x', 'customer', $6)`,
          [id, caseId, customer.tenant.number, key, customer.user.id, late],
        );
        const bytes = randomBytes(500);
        await store.put(key, Readable.from([bytes]));
        return { id, key, sha256: sha256(bytes) };
      }),
    );
    const principal = {
      id: customer.user.id,
      sessionId: randomUUID(),
      tenant: customer.tenant.number,
      role: 'user' as const,
      secondFactorAt: null,
    };
    const service = platform.cases.get(AttachmentsService);
    const sweeper = platform.cases.get(OrphanAttachmentsSweeper);
    const outcomes = await Promise.all([
      ...uploads.map((u) =>
        service
          .commit(principal, {
            number,
            id: u.id,
            name: 'race.bin',
            size: 500,
            sha256: u.sha256,
            contentType: 'application/octet-stream',
          })
          .then(
            () => 'committed',
            (error: { code?: string }) => error.code,
          ),
      ),
      sweeper.sweepOnce(customer.tenant.number).then(() => 'swept'),
    ]);
    const commits = outcomes.slice(0, uploads.length);
    expect(commits.every((o) => o === 'committed' || o === 'not_found')).toBe(true);

    const committed = new Set((await committedOf(number)).map((a) => a.id));
    const rows: { id: string }[] = await platform.dataSource.query(
      `SELECT id FROM case_management.case_attachment WHERE id = ANY($1::uuid[])`,
      [uploads.map((u) => u.id)],
    );
    for (const [i, u] of uploads.entries()) {
      const onDisk = await fs.access(path.join(root, 'objects', ...u.key.split('/'))).then(
        () => true,
        () => false,
      );
      if (commits[i] === 'committed') {
        expect(committed.has(u.id)).toBe(true);
        expect(onDisk).toBe(true);
      } else {
        expect(committed.has(u.id)).toBe(false);
        expect(rows.some((r) => r.id === u.id)).toBe(false);
        expect(onDisk).toBe(false);
      }
    }
  });
});
