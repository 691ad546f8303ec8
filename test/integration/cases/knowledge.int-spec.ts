import { randomBytes, randomInt } from 'node:crypto';
import { KnowledgeArticleView, KnowledgeBaseView } from '@app/contracts';
import { errorCode, expectStatus } from '@app/testing';
import { CasePlatform, Customer } from './case-platform';
import { KnowledgeWriter, searchKnowledge } from './knowledge-platform';

/** A word no other test file writes, so a search for it sees only this file's articles. */
function token(): string {
  return `zq${randomBytes(4).toString('hex')}`;
}

describe('the knowledge base (CASE-10)', () => {
  let platform: CasePlatform;
  let ops: string;
  let write: KnowledgeWriter;

  beforeAll(async () => {
    platform = await CasePlatform.create();
    ops = await platform.operator();
    write = new KnowledgeWriter(platform, ops);
  });
  afterAll(() => platform.close());

  it('never lists, finds, counts or opens an article of a base the tenant does not see (randomized)', async () => {
    const mark = token();
    const services: string[] = [];
    for (let s = 0; s < 3 + randomInt(2); s += 1) {
      services.push(await platform.contract(ops, await platform.auth.newTenant()));
    }
    // Bases: general ones and one or two per service, each with categories and articles.
    const bases: { base: KnowledgeBaseView; service: string | null; numbers: string[] }[] = [];
    for (const service of [null, null, ...services, ...services.filter(() => randomInt(2) === 0)]) {
      const base = await write.base(service ?? 'general', service ?? undefined);
      const categories = [await write.category(base.id, '01-specs'), await write.category(base.id, '02-faq')];
      const numbers: string[] = [];
      for (let a = 0; a < 1 + randomInt(3); a += 1) {
        const article = await write.article(
          base.id,
          categories[randomInt(categories.length)].id,
          `障害対応 ${a}`,
          `<p>${mark} 手順書 ${service ?? 'general'}</p>`,
          randomInt(2) === 0 ? 'ja' : 'en',
        );
        numbers.push(article.number);
      }
      bases.push({ base, service, numbers });
    }
    // Tenants contracting random subsets of the services (the empty one included).
    const tenants: { customer: Customer; contracted: Set<string> }[] = [];
    for (let t = 0; t < 3 + randomInt(2); t += 1) {
      const customer = await platform.customer();
      // The first tenant contracts nothing, so some base is always foreign to someone.
      const contracted = new Set(t === 0 ? [] : services.filter(() => randomInt(2) === 0));
      for (const service of contracted) {
        await platform.contract(ops, customer.tenant, service);
      }
      tenants.push({ customer, contracted });
    }
    const nowhere = await platform.api('GET', '/knowledge/KB9999998', { token: tenants[0].customer.token });
    expect([nowhere.status, errorCode(nowhere)]).toEqual([404, 'not_found']);

    let foreignChecked = 0;
    for (const { customer, contracted } of tenants) {
      const seen = (b: (typeof bases)[number]) => b.service === null || contracted.has(b.service);
      const own = bases
        .filter(seen)
        .flatMap((b) => b.numbers)
        .sort();
      const foreign = bases.filter((b) => !seen(b)).flatMap((b) => b.numbers);

      // The list and the search: exactly the visible articles, counted exactly.
      for (const query of [
        `q=${mark}`,
        `q=${encodeURIComponent('障害')}`,
        `q=${mark}%20${encodeURIComponent('手順')}`,
      ]) {
        const found = await searchKnowledge(platform, customer.token, query);
        const mine = found.items.map((i) => i.number).filter((n) => own.includes(n) || foreign.includes(n));
        expect([query, mine.sort()]).toEqual([query, own]);
        if (query === `q=${mark}`) {
          expect(found.total).toBe(own.length);
        }
      }
      const listed = await searchKnowledge(platform, customer.token, '');
      expect(listed.items.filter((i) => foreign.includes(i.number))).toEqual([]);
      // Filtering by a base it does not see finds nothing, and says nothing of how many there are.
      for (const b of bases) {
        const byBase = await searchKnowledge(platform, customer.token, `base=${b.base.id}`);
        expect([b.base.id, byBase.items.map((i) => i.number).sort(), byBase.total]).toEqual(
          seen(b) ? [b.base.id, [...b.numbers].sort(), b.numbers.length] : [b.base.id, [], 0],
        );
      }
      // The landing data: every visible base with its count, no other base of this test.
      const landing = (await platform.api('GET', '/knowledge/bases', { token: customer.token }))
        .body as KnowledgeBaseView[];
      const ours = landing.filter((l) => bases.some((b) => b.base.id === l.id));
      expect(ours.map((l) => [l.id, l.articleCount]).sort()).toEqual(
        bases
          .filter(seen)
          .map((b) => [b.base.id, b.numbers.length])
          .sort(),
      );
      // By number: another base's article is answered exactly as one that does not exist.
      for (const number of foreign) {
        const elsewhere = await platform.api('GET', `/knowledge/${number}`, { token: customer.token });
        expect([number, elsewhere.status, elsewhere.body]).toEqual([
          number,
          404,
          { error: { ...nowhere.body.error, requestId: elsewhere.body.error.requestId } },
        ]);
        foreignChecked += 1;
      }
      for (const number of own) {
        expectStatus(await platform.api('GET', `/knowledge/${number}`, { token: customer.token }), 200);
      }
    }
    // Operators see every article.
    const all = await searchKnowledge(platform, ops, `q=${mark}`, '/ops/knowledge/articles');
    expect(all.total).toBe(bases.flatMap((b) => b.numbers).length);
    expect(foreignChecked).toBeGreaterThan(0);
  });

  it('finds 2-character Japanese words, folds full-width and half-width forms, with snippets, newest first', async () => {
    const mark = token();
    const service = await platform.contract(ops, await platform.auth.newTenant());
    const reader = await platform.customer();
    await platform.contract(ops, reader.tenant, service);
    const base = await write.base('search', service);
    const guides = await write.category(base.id, '02-guides');
    const faq = await write.category(base.id, '10-faq');
    const created: KnowledgeArticleView[] = [];
    const add = async (title: string, body: string, category = guides.id, language: 'ja' | 'en' = 'ja') => {
      platform.clock.advance(60_000);
      const article = await write.article(base.id, category, title, `<p>${mark}</p>${body}`, language);
      created.push(article);
      return article.number;
    };
    const outage = await add(
      '障害発生時の連絡先',
      '<p>夜間の連絡は<b>監視センター</b>へ電話してください。</p>',
    );
    const firewall = await add('ファイアウォール設定', '<p>ポート開放の申請方法</p>', faq.id);
    const vpn = await add('ＶＰＮ接続手順', '<p>接続できない場合の確認事項</p>');
    const english = await add('Agent upgrade', '<p>How to upgrade the EDR agent safely.</p>', faq.id, 'en');

    const find = async (q: string, extra = '') =>
      searchKnowledge(platform, reader.token, `q=${encodeURIComponent(q)}&base=${base.id}${extra}`);
    const numbers = async (q: string, extra = '') => (await find(q, extra)).items.map((i) => i.number);

    expect(await numbers('障害')).toEqual([outage]);
    expect(await numbers('連絡')).toEqual([outage]);
    expect(await numbers('ウォール')).toEqual([firewall]);
    expect(await numbers('ﾌｧｲｱｳｫｰﾙ')).toEqual([firewall]);
    expect(await numbers('vpn')).toEqual([vpn]);
    expect(await numbers('ＶＰＮ')).toEqual([vpn]);
    expect(await numbers('開放 申請')).toEqual([firewall]);
    expect(await numbers('障害 申請')).toEqual([]);
    expect(await numbers('upgrade')).toEqual([english]);
    expect(await numbers('UPGRADE agent')).toEqual([english]);
    // Newest first, with a count; filters by category and language.
    const all = await find(mark);
    expect(all.items.map((i) => i.number)).toEqual([english, vpn, firewall, outage]);
    expect(all.total).toBe(4);
    expect(await numbers(mark, `&category=${faq.id}`)).toEqual([english, firewall]);
    expect(await numbers(mark, '&lang=ja')).toEqual([vpn, firewall, outage]);
    expect(await numbers(mark, `&lang=en&category=${guides.id}`)).toEqual([]);
    // Paging keeps the total.
    const second = await platform.api('GET', `/knowledge?q=${mark}&base=${base.id}&pageSize=3&page=2`, {
      token: reader.token,
    });
    expect([second.status, second.body.total, second.body.items.length]).toEqual([200, 4, 1]);
    // A snippet is plain text around the match, from the body.
    const hit = (await find('監視')).items[0];
    expect(hit.snippet).toContain('監視センター');
    expect(hit.snippet).not.toContain('<');
    expect(hit.base).toEqual({ id: base.id, name: base.name });
    expect(hit.category).toEqual({ id: guides.id, code: '02-guides', name: guides.name });
    // Under 2 characters, or under 3 without a Japanese character: 400 query_too_short.
    for (const q of ['障', 'ab', 'a', ' ', 'ＡＢ']) {
      const short = await platform.api('GET', `/knowledge?q=${encodeURIComponent(q)}`, {
        token: reader.token,
      });
      expect([q, short.status, errorCode(short)]).toEqual([q, 400, 'query_too_short']);
    }
    expectStatus(await platform.api('GET', `/knowledge?q=abc`, { token: reader.token }), 200);
    expectStatus(
      await platform.api('GET', `/knowledge?q=${encodeURIComponent('ｶﾞ')}`, { token: reader.token }),
      400,
    );
  });

  it('counts a view once per user per day, however many of their reads arrive at once', async () => {
    const service = await platform.contract(ops, await platform.auth.newTenant());
    const alice = await platform.customer();
    await platform.contract(ops, alice.tenant, service);
    const bob = await platform.customer(alice.tenant);
    const base = await write.base('views', service);
    const category = await write.category(base.id, '01-x');
    const { number } = await write.article(base.id, category.id, '閲覧数', '<p>本文</p>');
    const views = async () =>
      (
        (await platform.api('GET', `/ops/knowledge/articles/${number}`, { token: ops }))
          .body as KnowledgeArticleView
      ).views;

    // Midday in Japan, so the day does not change under the test.
    platform.clock.set(new Date('2026-06-01T03:00:00Z'));
    const reads = await Promise.all(
      Array.from({ length: 12 }, () => platform.api('GET', `/knowledge/${number}`, { token: alice.token })),
    );
    expect(reads.map((r) => r.status)).toEqual(Array(12).fill(200));
    expect(await views()).toBe(1);
    expect(Math.max(...reads.map((r) => (r.body as KnowledgeArticleView).views))).toBe(1);
    await Promise.all(
      Array.from({ length: 6 }, () => platform.api('GET', `/knowledge/${number}`, { token: bob.token })),
    );
    expect(await views()).toBe(2);
    // Operators' reads never count; the same user the next day (in Japan) counts again.
    expect(await views()).toBe(2);
    platform.clock.set(new Date('2026-06-01T14:59:59Z'));
    expectStatus(await platform.api('GET', `/knowledge/${number}`, { token: alice.token }), 200);
    expect(await views()).toBe(2);
    platform.clock.set(new Date('2026-06-01T15:00:00Z'));
    const next = await platform.api('GET', `/knowledge/${number}`, { token: alice.token });
    expect((next.body as KnowledgeArticleView).views).toBe(3);
    const listed = await searchKnowledge(platform, alice.token, `base=${base.id}`);
    expect(listed.items[0].views).toBe(3);
  });

  it('orders categories by their number prefix and lets operators edit and delete articles', async () => {
    const base = await write.base('ordering');
    for (const code of ['10-faq', 'misc', '2-guides', '01-specs']) {
      await write.category(base.id, code);
    }
    const duplicate = await platform.api('POST', '/ops/knowledge/categories', {
      token: ops,
      body: { base: base.id, code: '01-specs', name: { ja: '重複', en: 'Duplicate' } },
    });
    expect([duplicate.status, errorCode(duplicate)]).toEqual([409, 'conflict']);
    const reader = await platform.customer();
    const landing = (await platform.api('GET', '/knowledge/bases', { token: reader.token }))
      .body as KnowledgeBaseView[];
    const mine = landing.find((b) => b.id === base.id)!;
    expect(mine.categories.map((c) => c.code)).toEqual(['01-specs', '2-guides', '10-faq', 'misc']);
    expect(mine.service).toBeNull();
    const opsLanding = (await platform.api('GET', '/ops/knowledge/bases', { token: ops }))
      .body as KnowledgeBaseView[];
    expect(opsLanding.find((b) => b.id === base.id)?.categories.map((c) => c.code)).toEqual([
      '01-specs',
      '2-guides',
      '10-faq',
      'misc',
    ]);
    expect((await platform.api('GET', '/ops/knowledge/bases', { token: reader.token })).status).toBe(403);

    const other = await write.base('other');
    const otherCategory = await write.category(other.id, '01-a');
    const [specs] = mine.categories;
    const article = await write.article(
      base.id,
      specs.id,
      'Original',
      '<p onclick="x()">Body<script>alert(1)</script><img src="https://tracker.example/x.png"></p>',
      'en',
    );
    expect(article.number).toMatch(/^KB[0-9]{7}$/);
    expect(article.body).toBe('<p>Body</p>');
    const wrongCategory = await platform.api('PUT', `/ops/knowledge/articles/${article.number}`, {
      token: ops,
      body: { base: base.id, category: otherCategory.id, title: 'x', body: 'y', language: 'en' },
    });
    expect([wrongCategory.status, errorCode(wrongCategory)]).toEqual([400, 'validation_failed']);
    const markupOnly = await platform.api('POST', '/ops/knowledge/articles', {
      token: ops,
      body: { base: base.id, category: specs.id, title: 'x', body: '<script>x</script>', language: 'en' },
    });
    expect([markupOnly.status, errorCode(markupOnly)]).toEqual([400, 'validation_failed']);

    platform.clock.advance(1000);
    const moved = await platform.api('PUT', `/ops/knowledge/articles/${article.number}`, {
      token: ops,
      body: {
        base: other.id,
        category: otherCategory.id,
        title: '改訂版',
        body: '<p>新しい\n本文</p>\r\n\t',
        language: 'ja',
      },
    });
    expectStatus(moved, 200);
    expect(moved.body).toMatchObject({ number: article.number, title: '改訂版', language: 'ja' });
    const found = await searchKnowledge(
      platform,
      reader.token,
      `q=${encodeURIComponent('本文')}&base=${other.id}`,
    );
    expect(found.items.map((i) => i.number)).toEqual([article.number]);

    // Customers cannot write; operators delete, and the article is gone.
    const forbidden = await platform.api('DELETE', `/ops/knowledge/articles/${article.number}`, {
      token: reader.token,
    });
    expect(forbidden.status).toBe(403);
    expectStatus(
      await platform.api('DELETE', `/ops/knowledge/articles/${article.number}`, { token: ops }),
      204,
    );
    const gone = await platform.api('GET', `/knowledge/${article.number}`, { token: reader.token });
    expect([gone.status, errorCode(gone)]).toEqual([404, 'not_found']);
    const again = await platform.api('DELETE', `/ops/knowledge/articles/${article.number}`, { token: ops });
    expect(again.status).toBe(404);
    const unknownService = await platform.api('POST', '/ops/knowledge/bases', {
      token: ops,
      body: { name: { ja: 'x', en: 'x' }, service: 'nosuchservice' },
    });
    expect([unknownService.status, errorCode(unknownService)]).toEqual([400, 'validation_failed']);
  });
});
