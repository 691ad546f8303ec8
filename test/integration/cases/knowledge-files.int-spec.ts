import { randomBytes, randomInt, randomUUID } from 'node:crypto';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { AuditEvent, KnowledgeArticleView, KnowledgeBaseView } from '@app/contracts';
import { Readable } from 'node:stream';
import { AttachmentStore } from '@app/attachment-store';
import { errorCode, expectStatus } from '@app/testing';
import { KnowledgeFilesService } from '@app/case-management/knowledge/knowledge-files.service';
import { KnowledgeFilesSweeper } from '@app/case-management/knowledge/knowledge-files.sweeper';
import { download, sha256, uploadFile } from './attachment-client';
import { CasePlatform, Customer } from './case-platform';
import { KnowledgeWriter, searchKnowledge } from './knowledge-platform';

/** A PDF as file-type recognises one: its signature, then filler. */
function pdf(size: number): Buffer {
  const bytes = randomBytes(size);
  Buffer.from('%PDF-1.7\n').copy(bytes, 0);
  return bytes;
}

/** A word no other test file writes, so a search for it sees only this file's articles. */
function mark(): string {
  return `zf${randomBytes(4).toString('hex')}`;
}

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
  return entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
}

/**
 * CASE-10 files of articles through the gateway, in the attachments' store (the local one): operators
 * attach files and upload document articles' files; readers download them as case attachments are
 * downloaded (ETag, Range, nosniff), only from articles they may read.
 */
describe('knowledge article files and document articles (CASE-10)', () => {
  let platform: CasePlatform;
  let root: string;
  let ops: string;
  let write: KnowledgeWriter;
  const copy = `test_kb_files_${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    root = await fs.mkdtemp(path.join(os.tmpdir(), 'mamori-kb-files-'));
    platform = await CasePlatform.create(
      { ATTACHMENT_DIR: root, ATTACHMENT_SWEEP_INTERVAL_SECONDS: 0, ATTACHMENT_ORPHAN_GRACE_SECONDS: 3600 },
      { ATTACHMENT_DIR: root, ATTACHMENT_MAX_BYTES: 1024 * 1024 },
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
    write = new KnowledgeWriter(platform, ops);
  });

  afterAll(async () => {
    const db = platform.dataSource;
    await db.query(`DROP TRIGGER ${copy} ON case_management.outbox`);
    await db.query(`DROP FUNCTION case_management.${copy}()`);
    await db.query(`DROP TABLE case_management.${copy}`);
    await platform.close();
    await fs.rm(root, { recursive: true, force: true });
  });

  async function facts(number: string): Promise<AuditEvent[]> {
    const rows: { payload: AuditEvent }[] = await platform.dataSource.query(
      `SELECT payload FROM case_management.${copy} ORDER BY seq`,
    );
    return rows.map((r) => r.payload).filter((e) => e.target?.id === number);
  }

  async function article(
    token: string,
    number: string,
    prefix = '/knowledge/',
  ): Promise<KnowledgeArticleView> {
    const answer = await platform.api('GET', `${prefix}${number}`, { token });
    expectStatus(answer, 200);
    return answer.body as KnowledgeArticleView;
  }

  it('attaches files to an article: listed in the article, downloaded with ETag and Range, each an audit fact', async () => {
    const service = await platform.contract(ops, await platform.auth.newTenant());
    const reader = await platform.customer();
    await platform.contract(ops, reader.tenant, service);
    const base = await write.base('files', service);
    const category = await write.category(base.id, '01-specs');
    const { number } = await write.article(base.id, category.id, '仕様書', '<p>添付を参照</p>');

    const bytes = pdf(200_000);
    const before = await article(ops, number, '/ops/knowledge/articles/');
    platform.clock.advance(1000);
    const file = await write.file(number, bytes, 'attachment', '../EDR 仕様 <v2>.pdf');
    expect(file).toEqual({
      id: expect.any(String),
      name: 'EDR 仕様 _v2_.pdf',
      size: bytes.length,
      sha256: sha256(bytes),
      contentType: 'application/pdf',
      uploadedAt: expect.any(String),
    });
    platform.clock.advance(1000);
    const second = await write.file(number, pdf(1000), 'attachment', 'b.pdf');

    const read = await article(reader.token, number);
    expect(read.format).toBe('html');
    expect(read.document).toBeNull();
    expect(read.attachments.map((a) => a.id)).toEqual([file.id, second.id]);
    expect(read.attachments[0]).toEqual(file);
    // Adding a file updates the article (newest first).
    expect(new Date(read.updatedAt).getTime()).toBeGreaterThan(new Date(before.updatedAt).getTime());

    const url = `/knowledge/${number}/attachments/${file.id}`;
    const whole = await download(platform.url, url, reader.token);
    expect(whole.status).toBe(200);
    expect(sha256(whole.bytes)).toBe(file.sha256);
    expect(whole.headers.get('etag')).toBe(`"${file.sha256}"`);
    expect(whole.headers.get('x-content-type-options')).toBe('nosniff');
    expect(whole.headers.get('content-disposition')).toMatch(/^attachment;/);
    const part = await download(platform.url, url, reader.token, { range: 'bytes=100-199' });
    expect([part.status, part.headers.get('content-range')]).toEqual([206, `bytes 100-199/${bytes.length}`]);
    expect(part.bytes.equals(bytes.subarray(100, 200))).toBe(true);
    const same = await download(platform.url, url, reader.token, { 'if-none-match': `"${file.sha256}"` });
    expect(same.status).toBe(304);
    const past = await download(platform.url, url, reader.token, { range: `bytes=${bytes.length + 10}-` });
    expect(past.status).toBe(416);
    const byOperator = await download(
      platform.url,
      `/ops/knowledge/articles/${number}/attachments/${file.id}`,
      ops,
    );
    expect(byOperator.status).toBe(200);

    // Customers cannot upload; an unknown article is 404.
    const refused = await uploadFile(
      platform.url,
      `/ops/knowledge/articles/${number}/attachments`,
      pdf(100),
      {
        token: reader.token,
      },
    );
    expect(refused.status).toBe(403);
    const nowhere = await uploadFile(
      platform.url,
      `/ops/knowledge/articles/KB9999997/attachments`,
      pdf(100),
      {
        token: ops,
      },
    );
    expect([nowhere.status, nowhere.body.error?.code]).toEqual([404, 'not_found']);

    const recorded = await facts(number);
    expect(recorded.map((e) => [e.type, e.actor.userId, e.actor.tenant, e.tenants])).toEqual([
      ['case-management.knowledge_article.created', expect.any(String), undefined, undefined],
      ['case-management.knowledge_article.file_added', expect.any(String), undefined, undefined],
      ['case-management.knowledge_article.file_added', expect.any(String), undefined, undefined],
      [
        'case-management.knowledge_article.file_downloaded',
        reader.user.id,
        reader.tenant.number,
        [reader.tenant.number],
      ],
      [
        'case-management.knowledge_article.file_downloaded',
        reader.user.id,
        reader.tenant.number,
        [reader.tenant.number],
      ],
      [
        'case-management.knowledge_article.file_downloaded',
        reader.user.id,
        reader.tenant.number,
        [reader.tenant.number],
      ],
      [
        'case-management.knowledge_article.file_downloaded',
        reader.user.id,
        reader.tenant.number,
        [reader.tenant.number],
      ],
      ['case-management.knowledge_article.file_downloaded', expect.any(String), undefined, undefined],
    ]);
    expect(recorded[1].reasons).toEqual([
      `attachment:${file.id}`,
      'role:attachment',
      `size:${bytes.length}`,
      'type:application/pdf',
    ]);
    // No file name in any fact.
    expect(JSON.stringify(recorded)).not.toContain('仕様');

    // Deleting the article deletes its files' bytes.
    expect((await filesUnder(root)).some((f) => f.includes(file.id))).toBe(true);
    expectStatus(await platform.api('DELETE', `/ops/knowledge/articles/${number}`, { token: ops }), 204);
    expect((await filesUnder(root)).filter((f) => f.includes(file.id) || f.includes(second.id))).toEqual([]);
    expect((await download(platform.url, url, reader.token)).status).toBe(404);
  });

  it('publishes a document article once its file is there: found by title and description, the file replaceable', async () => {
    const word = mark();
    const reader = await platform.customer();
    const base = await write.base('documents');
    const category = await write.category(base.id, '01-specs');
    const doc = await write.document(
      base.id,
      category.id,
      `EDR サービス仕様書 ${word}`,
      '対応OSと監視範囲の一覧',
    );
    expect(doc).toMatchObject({
      format: 'document',
      description: '対応OSと監視範囲の一覧',
      body: '',
      document: null,
    });

    // Without its file, customers do not see it anywhere; operators do.
    const hidden = await platform.api('GET', `/knowledge/${doc.number}`, { token: reader.token });
    expect([hidden.status, errorCode(hidden)]).toEqual([404, 'not_found']);
    expect((await searchKnowledge(platform, reader.token, `q=${word}`)).total).toBe(0);
    const landing = (await platform.api('GET', '/knowledge/bases', { token: reader.token }))
      .body as KnowledgeBaseView[];
    expect(landing.find((b) => b.id === base.id)?.articleCount).toBe(0);
    expect((await searchKnowledge(platform, ops, `q=${word}`, '/ops/knowledge/articles')).total).toBe(1);

    const first = pdf(5000);
    const file = await write.file(doc.number, first, 'document', 'spec-v1.pdf');
    const shown = await article(reader.token, doc.number);
    expect(shown.document).toEqual(file);
    expect(shown.attachments).toEqual([]);
    const byTitle = await searchKnowledge(platform, reader.token, `q=${word}`);
    expect(byTitle.items.map((i) => [i.number, i.format, i.description])).toEqual([
      [doc.number, 'document', '対応OSと監視範囲の一覧'],
    ]);
    const byDescription = await searchKnowledge(
      platform,
      reader.token,
      `q=${encodeURIComponent('監視範囲')}&base=${base.id}`,
    );
    expect(byDescription.items.map((i) => [i.number, i.snippet])).toEqual([
      [doc.number, '対応OSと監視範囲の一覧'],
    ]);
    const got = await download(platform.url, `/knowledge/${doc.number}/attachments/${file.id}`, reader.token);
    expect([got.status, sha256(got.bytes)]).toEqual([200, sha256(first)]);

    // A new file replaces the old one, whose bytes and id are gone.
    const second = pdf(7000);
    const replaced = await write.file(doc.number, second, 'document', 'spec-v2.pdf');
    expect((await article(reader.token, doc.number)).document).toEqual(replaced);
    expect(
      (await download(platform.url, `/knowledge/${doc.number}/attachments/${file.id}`, reader.token)).status,
    ).toBe(404);
    expect((await filesUnder(root)).filter((f) => f.includes(file.id))).toEqual([]);
    const now = await download(
      platform.url,
      `/knowledge/${doc.number}/attachments/${replaced.id}`,
      reader.token,
    );
    expect(sha256(now.bytes)).toBe(sha256(second));

    // Editing keeps the format and the file; the description can change.
    const edited = await platform.api('PUT', `/ops/knowledge/articles/${doc.number}`, {
      token: ops,
      body: {
        base: base.id,
        category: category.id,
        title: `改訂 ${word}`,
        language: 'ja',
        description: '第2版',
      },
    });
    expectStatus(edited, 200);
    expect(edited.body).toMatchObject({ format: 'document', description: '第2版', document: replaced });
  });

  it('sweeps the bytes of uploads that never committed, after the grace, and leaves committed files', async () => {
    const base = await write.base('sweep');
    const category = await write.category(base.id, '01-x');
    const { number } = await write.article(base.id, category.id, 'Sweep', '<p>x</p>', 'en');
    const kept = await write.file(number, pdf(500));
    const operator = {
      id: randomUUID(),
      role: 'operator',
      tenant: null,
      sessionId: randomUUID(),
      secondFactorAt: null,
    } as const;
    // An upload that began and never committed: the client went away after its bytes were written.
    const ticket = await platform.cases.get(KnowledgeFilesService).begin(operator, number, 'attachment');
    await platform.cases.get(AttachmentStore).put(ticket.key, Readable.from([pdf(300)]), 'application/pdf');
    const sweeper = platform.cases.get(KnowledgeFilesSweeper);
    expect(await sweeper.sweepOnce()).toBe(0);
    platform.clock.advance(3601 * 1000);
    expect(await sweeper.sweepOnce()).toBeGreaterThanOrEqual(1);
    const left = await filesUnder(root);
    expect(left.some((f) => f.includes(ticket.id))).toBe(false);
    expect(left.some((f) => f.includes(kept.id))).toBe(true);
    const rows: unknown[] = await platform.dataSource.query(
      'SELECT id FROM case_management.knowledge_file WHERE id = $1',
      [ticket.id],
    );
    expect(rows).toEqual([]);
  });

  it('refuses what a document or html article cannot have', async () => {
    const base = await write.base('rules');
    const category = await write.category(base.id, '01-x');
    const html = await write.article(base.id, category.id, 'Text', '<p>text</p>', 'en');
    const doc = await write.document(base.id, category.id, 'Doc');
    const cases: [string, string, unknown, string][] = [
      [
        'POST',
        '/ops/knowledge/articles',
        { base: base.id, category: category.id, title: 'x', language: 'en' },
        'body',
      ],
      [
        'POST',
        '/ops/knowledge/articles',
        {
          base: base.id,
          category: category.id,
          title: 'x',
          language: 'en',
          format: 'document',
          body: '<p>x</p>',
        },
        'body',
      ],
      [
        'POST',
        '/ops/knowledge/articles',
        {
          base: base.id,
          category: category.id,
          title: 'x',
          body: '<p>x</p>',
          language: 'en',
          description: 'd',
        },
        'description',
      ],
      [
        'PUT',
        `/ops/knowledge/articles/${html.number}`,
        { base: base.id, category: category.id, title: 'x', language: 'en', format: 'document' },
        'format',
      ],
      [
        'PUT',
        `/ops/knowledge/articles/${doc.number}`,
        { base: base.id, category: category.id, title: 'x', language: 'en', body: '<p>x</p>' },
        'body',
      ],
    ];
    for (const [method, url, body, field] of cases) {
      const answer = await platform.api(method, url, { token: ops, body });
      expect([
        url,
        answer.status,
        errorCode(answer),
        Object.keys(answer.body.error?.details?.fields ?? {}),
      ]).toEqual([url, 400, 'validation_failed', [field]]);
    }
    const notADocument = await uploadFile(
      platform.url,
      `/ops/knowledge/articles/${html.number}/document`,
      pdf(100),
      {
        token: ops,
        method: 'PUT',
      },
    );
    expect([notADocument.status, notADocument.body.error?.code]).toEqual([400, 'validation_failed']);
  });

  it('never lists, finds, opens or serves a file of an article of a base the tenant does not see (randomized)', async () => {
    const word = mark();
    const services: string[] = [];
    for (let s = 0; s < 2 + randomInt(3); s += 1) {
      services.push(await platform.contract(ops, await platform.auth.newTenant()));
    }
    interface Placed {
      service: string | null;
      base: string;
      numbers: string[];
      files: { number: string; id: string }[];
    }
    const placed: Placed[] = [];
    for (const service of [null, ...services, ...services.filter(() => randomInt(2) === 0)]) {
      const base = await write.base(service ?? 'general', service ?? undefined);
      const category = await write.category(base.id, '01-docs');
      const entry: Placed = { service, base: base.id, numbers: [], files: [] };
      for (let a = 0; a < 1 + randomInt(3); a += 1) {
        const document = randomInt(2) === 0;
        const created = document
          ? await write.document(base.id, category.id, `仕様 ${word} ${a}`, `説明 ${word}`)
          : await write.article(base.id, category.id, `手順 ${word} ${a}`, `<p>${word}</p>`);
        entry.numbers.push(created.number);
        if (document) {
          const file = await write.file(created.number, pdf(600), 'document');
          entry.files.push({ number: created.number, id: file.id });
        }
        // Every base's first article has a file, so each base has files to keep from others.
        for (let f = 0; f < (a === 0 ? 1 : 0) + randomInt(3); f += 1) {
          const file = await write.file(created.number, pdf(700), 'attachment');
          entry.files.push({ number: created.number, id: file.id });
        }
      }
      placed.push(entry);
    }
    // A document article without its file in a general base: nobody sees it yet.
    const generalBase = placed[0].base;
    const generalCategory = (
      (await platform.api('GET', '/ops/knowledge/bases', { token: ops })).body as KnowledgeBaseView[]
    ).find((b) => b.id === generalBase)!.categories[0];
    const draft = await write.document(generalBase, generalCategory.id, `下書き ${word}`);

    const tenants: { customer: Customer; contracted: Set<string> }[] = [];
    for (let t = 0; t < 3 + randomInt(2); t += 1) {
      const customer = await platform.customer();
      const contracted = new Set(t === 0 ? [] : services.filter(() => randomInt(2) === 0));
      for (const service of contracted) {
        await platform.contract(ops, customer.tenant, service);
      }
      tenants.push({ customer, contracted });
    }
    const someNumber = placed[0].numbers[0];
    const missing = await platform.api('GET', `/knowledge/${someNumber}/attachments/${randomUUID()}`, {
      token: tenants[0].customer.token,
    });
    expect([missing.status, errorCode(missing)]).toEqual([404, 'not_found']);

    let foreignFiles = 0;
    for (const { customer, contracted } of tenants) {
      const seen = (p: Placed) => p.service === null || contracted.has(p.service);
      const own = placed
        .filter(seen)
        .flatMap((p) => p.numbers)
        .sort();
      const foreign = [...placed.filter((p) => !seen(p)).flatMap((p) => p.numbers), draft.number];
      const found = await searchKnowledge(platform, customer.token, `q=${word}`);
      expect(found.items.map((i) => i.number).sort()).toEqual(own);
      expect(found.total).toBe(own.length);
      const listed = await searchKnowledge(platform, customer.token, '');
      expect(listed.items.filter((i) => foreign.includes(i.number))).toEqual([]);
      for (const number of foreign) {
        const answer = await platform.api('GET', `/knowledge/${number}`, { token: customer.token });
        expect([number, answer.status, errorCode(answer)]).toEqual([number, 404, 'not_found']);
      }
      for (const p of placed) {
        for (const file of p.files) {
          const got = await download(
            platform.url,
            `/knowledge/${file.number}/attachments/${file.id}`,
            customer.token,
          );
          expect([file.id, got.status]).toEqual([file.id, seen(p) ? 200 : 404]);
          if (!seen(p)) {
            foreignFiles += 1;
            // Answered exactly as a file that does not exist.
            expect(JSON.parse(got.bytes.toString()).error.code).toBe(missing.body.error.code);
            // Nor through an article it does see.
            const through = await download(
              platform.url,
              `/knowledge/${own[0] ?? someNumber}/attachments/${file.id}`,
              customer.token,
            );
            expect(through.status).toBe(404);
          }
        }
      }
      // The articles it reads list only their own files.
      for (const number of own) {
        const read = await article(customer.token, number);
        const mine = placed
          .flatMap((p) => p.files)
          .filter((f) => f.number === number)
          .map((f) => f.id)
          .sort();
        expect(
          [...read.attachments.map((a) => a.id), ...(read.document ? [read.document.id] : [])].sort(),
        ).toEqual(mine);
      }
    }
    expect(foreignFiles).toBeGreaterThan(0);
  });
});
