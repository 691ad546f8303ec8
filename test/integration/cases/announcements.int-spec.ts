import { randomBytes } from 'node:crypto';
import { AnnouncementView, AuditEvent, CaseSummaryView, HomeView, OpsAnnouncementView } from '@app/contracts';
import { errorCode, expectStatus } from '@app/testing';
import { CasePlatform, Customer } from './case-platform';
import { KnowledgeWriter } from './knowledge-platform';

const HOUR = 60 * 60 * 1000;

/**
 * Announcements and the home page (CASE-11) through the gateway. Other test files may publish
 * announcements for everyone into the same database at the same time, so every assertion looks at
 * this file's own announcements only.
 */
describe('announcements and the home page (CASE-11)', () => {
  let platform: CasePlatform;
  let ops: string;
  const copy = `test_announcement_audit_${randomBytes(6).toString('hex')}`;

  async function publish(body: Record<string, unknown>): Promise<OpsAnnouncementView> {
    const now = platform.clock.now().getTime();
    const answer = await platform.api('POST', '/ops/announcements', {
      token: ops,
      body: {
        title: 'Maintenance',
        body: '<p>Scheduled <b>maintenance</b></p>',
        banner: true,
        from: new Date(now - HOUR).toISOString(),
        to: new Date(now + HOUR).toISOString(),
        audience: { all: true },
        ...body,
      },
    });
    expectStatus(answer, 201);
    return answer.body as OpsAnnouncementView;
  }

  async function seen(customer: Customer, ids?: string[]): Promise<AnnouncementView[]> {
    const answer = await platform.api('GET', '/announcements', { token: customer.token });
    expectStatus(answer, 200);
    const all = answer.body as AnnouncementView[];
    return ids ? all.filter((a) => ids.includes(a.id)) : all;
  }

  beforeAll(async () => {
    platform = await CasePlatform.create();
    ops = await platform.operator();
    // Every committed outbox row is copied, as the relay deletes what it publishes (see case-audit).
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

  it('shows an announcement from the start of its window up to, not including, its end', async () => {
    const reader = await platform.customer();
    const start = new Date(Date.UTC(2027, 0, 10, 0, 0, 0));
    const end = new Date(start.getTime() + 3 * HOUR);
    platform.clock.set(new Date(start.getTime() - HOUR));
    const a = await publish({ from: start.toISOString(), to: end.toISOString() });
    const visibleAt = async (at: number) => {
      platform.clock.set(new Date(at));
      return (await seen(reader, [a.id])).length === 1;
    };
    expect([
      await visibleAt(start.getTime() - 1),
      await visibleAt(start.getTime()),
      await visibleAt(end.getTime() - 1),
      await visibleAt(end.getTime()),
      await visibleAt(end.getTime() + HOUR),
    ]).toEqual([false, true, true, false, false]);
    // A dismissal needs the announcement in view.
    platform.clock.set(end);
    const late = await platform.api('POST', `/announcements/${a.id}/dismiss`, { token: reader.token });
    expect([late.status, errorCode(late)]).toEqual([404, 'not_found']);
    // An operator moves the window: the reader sees it again.
    const moved = await platform.api('PUT', `/ops/announcements/${a.id}`, {
      token: ops,
      body: {
        title: 'Maintenance (extended)',
        body: '<p>Longer</p>',
        banner: false,
        from: start.toISOString(),
        to: new Date(end.getTime() + HOUR).toISOString(),
        audience: { all: true },
      },
    });
    expectStatus(moved, 200);
    expect(await seen(reader, [a.id])).toEqual([
      expect.objectContaining({ title: 'Maintenance (extended)', banner: false, dismissed: false }),
    ]);
  });

  it('reaches everyone, the tenants named and the tenants contracting a service named, and nobody else', async () => {
    platform.clock.set(new Date());
    const first = await platform.customer();
    const second = await platform.customer();
    const third = await platform.customer();
    const edr = await platform.contract(ops, first.tenant);
    const ndr = await platform.contract(ops, second.tenant);
    const all = await publish({ audience: { all: true } });
    const toFirst = await publish({ audience: { tenants: [first.tenant.number] } });
    const toNdr = await publish({ audience: { services: [ndr] } });
    const toEdrOrThird = await publish({ audience: { services: [edr], tenants: [third.tenant.number] } });
    const ids = [all.id, toFirst.id, toNdr.id, toEdrOrThird.id];
    const listed = (await platform.api('GET', '/ops/announcements', { token: ops }))
      .body as OpsAnnouncementView[];
    expect(listed.find((a) => a.id === toEdrOrThird.id)?.audience).toEqual({
      all: false,
      tenants: [third.tenant.number],
      services: [edr],
    });
    const idsOf = async (c: Customer) => (await seen(c, ids)).map((a) => a.id).sort();
    expect(await idsOf(first)).toEqual([all.id, toFirst.id, toEdrOrThird.id].sort());
    expect(await idsOf(second)).toEqual([all.id, toNdr.id].sort());
    expect(await idsOf(third)).toEqual([all.id, toEdrOrThird.id].sort());
    // Contracting a service later brings its announcements.
    await platform.contract(ops, third.tenant, ndr);
    expect(await idsOf(third)).toEqual([all.id, toNdr.id, toEdrOrThird.id].sort());
    // An announcement one cannot see cannot be dismissed, and answers as one that does not exist.
    const foreign = await platform.api('POST', `/announcements/${toFirst.id}/dismiss`, {
      token: second.token,
    });
    const missing = await platform.api(
      'POST',
      `/announcements/3f1c2a52-8a4e-4a57-9a0e-2f0b7c1d9e11/dismiss`,
      {
        token: second.token,
      },
    );
    expect([foreign.status, errorCode(foreign)]).toEqual([404, 'not_found']);
    expect([missing.status, errorCode(missing)]).toEqual([404, 'not_found']);
    // Withdrawn: gone for everyone.
    expectStatus(await platform.api('DELETE', `/ops/announcements/${all.id}`, { token: ops }), 204);
    expect(await idsOf(second)).toEqual([toNdr.id]);
    const twice = await platform.api('DELETE', `/ops/announcements/${all.id}`, { token: ops });
    expect(twice.status).toBe(404);
  });

  it('keeps a dismissal per user and for good, with the announcement still in the list', async () => {
    platform.clock.set(new Date());
    const alice = await platform.customer();
    const bob = await platform.customer(alice.tenant);
    const a = await publish({ audience: { tenants: [alice.tenant.number] } });
    expect(await seen(alice, [a.id])).toEqual([expect.objectContaining({ id: a.id, dismissed: false })]);
    const dismissals = await Promise.all(
      [1, 2, 3].map(() => platform.api('POST', `/announcements/${a.id}/dismiss`, { token: alice.token })),
    );
    expect(dismissals.map((d) => d.status)).toEqual([204, 204, 204]);
    expect(await seen(alice, [a.id])).toEqual([expect.objectContaining({ id: a.id, dismissed: true })]);
    expect(await seen(bob, [a.id])).toEqual([expect.objectContaining({ id: a.id, dismissed: false })]);
    // For good: a later edit of the announcement does not bring the banner back.
    platform.clock.advance(HOUR / 2);
    expectStatus(
      await platform.api('PUT', `/ops/announcements/${a.id}`, {
        token: ops,
        body: {
          title: 'Changed',
          body: '<p>x</p>',
          banner: true,
          from: a.from,
          to: new Date(Date.parse(a.to) + HOUR).toISOString(),
          audience: { tenants: [alice.tenant.number] },
        },
      }),
      200,
    );
    expect(await seen(alice, [a.id])).toEqual([
      expect.objectContaining({ title: 'Changed', dismissed: true }),
    ]);
    // One fact for the one dismissal, naming the user and tenant.
    const facts: { payload: AuditEvent }[] = await platform.dataSource.query(
      `SELECT payload FROM case_management.${copy} WHERE payload->>'type' = 'case-management.announcement.dismissed'
         AND payload->'target'->>'id' = $1`,
      [a.id],
    );
    expect(facts.map((f) => [f.payload.actor.userId, f.payload.tenants])).toEqual([
      [alice.user.id, [alice.tenant.number]],
    ]);
  });

  it('links an article only for readers who may read it, and refuses malformed announcements', async () => {
    platform.clock.set(new Date());
    const write = new KnowledgeWriter(platform, ops);
    const insider = await platform.customer();
    const outsider = await platform.customer();
    const service = await platform.contract(ops, insider.tenant);
    const base = await write.base('linked', service);
    const category = await write.category(base.id, '01-notice');
    const article = await write.article(base.id, category.id, 'メンテナンスのお知らせ', '<p>詳細</p>');
    const a = await publish({ article: article.number });
    expect((await seen(insider, [a.id]))[0].article).toBe(article.number);
    expect((await seen(outsider, [a.id]))[0]).not.toHaveProperty('article');

    const now = platform.clock.now().getTime();
    const valid = {
      title: 't',
      body: '<p>b</p>',
      banner: false,
      from: new Date(now).toISOString(),
      to: new Date(now + HOUR).toISOString(),
      audience: { all: true },
    };
    for (const [change, field] of [
      [{ to: new Date(now).toISOString() }, 'to'],
      [{ to: new Date(now - 1).toISOString() }, 'to'],
      [{ from: '0000-01-01T00:00:00Z' }, 'from'],
      [{ to: '+010000-01-01T00:00:00Z' }, 'to'],
      [{ audience: {} }, 'audience'],
      [{ audience: { all: false, tenants: [] } }, 'audience'],
      [{ audience: { services: ['nosuchservice'] } }, 'audience.services'],
      [{ article: 'KB9999999' }, 'article'],
      [{ body: '<script>x</script>' }, 'body'],
      [{ title: '   ' }, 'title'],
    ] as const) {
      const answer = await platform.api('POST', '/ops/announcements', {
        token: ops,
        body: { ...valid, ...change },
      });
      expect([
        field,
        answer.status,
        errorCode(answer),
        Object.keys(answer.body.error.details.fields),
      ]).toEqual([field, 400, 'validation_failed', [field]]);
    }
    const byCustomer = await platform.api('POST', '/ops/announcements', {
      token: insider.token,
      body: valid,
    });
    expect(byCustomer.status).toBe(403);
    // Knowledge writes are facts too, with the operator as actor and no text of the article.
    const facts: { payload: AuditEvent }[] = await platform.dataSource.query(
      `SELECT payload FROM case_management.${copy} WHERE payload->'target'->>'id' IN ($1, $2, $3) ORDER BY seq`,
      [base.id, category.id, article.number],
    );
    expect(facts.map((f) => [f.payload.type, f.payload.outcome])).toEqual([
      ['case-management.knowledge_base.created', 'success'],
      ['case-management.knowledge_category.created', 'success'],
      ['case-management.knowledge_article.created', 'success'],
    ]);
    expect(JSON.stringify(facts)).not.toContain('メンテナンス');
  });

  it('gathers announcements, case counts per view and the portal links of the tenant on the home page', async () => {
    platform.clock.set(new Date());
    const customer = await platform.customer();
    const neighbour = await platform.customer();
    const service = await platform.contract(ops, customer.tenant);
    const uncontracted = await platform.contract(ops, neighbour.tenant);
    const open = async (subject: string) => {
      const answer = await platform.api('POST', '/cases', {
        token: customer.token,
        body: { service, category: 'fault', subject, description: '<p>x</p>' },
      });
      expectStatus(answer, 201);
      return (answer.body as CaseSummaryView).number;
    };
    await open('one');
    const resolved = await open('two');
    expectStatus(
      await platform.api('POST', `/ops/cases/${resolved}/status`, {
        token: ops,
        body: { status: 'resolved' },
      }),
      200,
    );
    expectStatus(
      await platform.api('POST', '/ops/cases', {
        token: ops,
        body: {
          tenant: customer.tenant.number,
          service,
          category: 'alert',
          subject: 'EDR',
          description: 'x',
        },
      }),
      201,
    );
    // The neighbour's cases never count.
    expectStatus(
      await platform.api('POST', '/cases', {
        token: neighbour.token,
        body: { service: uncontracted, category: 'fault', subject: 'n', description: 'x' },
      }),
      201,
    );
    const links = await platform.api('PUT', `/ops/tenants/${customer.tenant.number}/portal-links`, {
      token: ops,
      body: {
        links: [
          { name: 'EDR console', url: 'https://edr.example.com/console', service },
          { name: 'Other service', url: 'https://other.example.com', service: uncontracted },
          { name: 'Support site', url: 'https://support.example.com' },
        ],
      },
    });
    expectStatus(links, 200);
    const badUrl = await platform.api('PUT', `/ops/tenants/${customer.tenant.number}/portal-links`, {
      token: ops,
      body: { links: [{ name: 'x', url: 'javascript:alert(1)' }] },
    });
    expect([badUrl.status, errorCode(badUrl)]).toEqual([400, 'validation_failed']);
    const configured = await platform.api('GET', `/ops/tenants/${customer.tenant.number}/portal-links`, {
      token: ops,
    });
    expect((configured.body as { name: string }[]).map((l) => l.name)).toEqual([
      'EDR console',
      'Other service',
      'Support site',
    ]);
    // Operators saving at once: the list is one of theirs whole, never a mix, never an error.
    const lists = Array.from({ length: 6 }, (_, i) =>
      Array.from({ length: 1 + (i % 3) }, (_, j) => ({
        name: `L${i}-${j}`,
        url: `https://p${i}.example.com/${j}`,
      })),
    );
    const saves = await Promise.all(
      lists.map((l) =>
        platform.api('PUT', `/ops/tenants/${neighbour.tenant.number}/portal-links`, {
          token: ops,
          body: { links: l },
        }),
      ),
    );
    expect(saves.map((a) => a.status)).toEqual(Array(6).fill(200));
    const final = (
      await platform.api('GET', `/ops/tenants/${neighbour.tenant.number}/portal-links`, { token: ops })
    ).body as { name: string; url: string; service: string | null }[];
    expect(lists.map((l) => l.map((x) => ({ ...x, service: null })))).toContainEqual(final);
    expectStatus(
      await platform.api('PUT', `/ops/tenants/${neighbour.tenant.number}/portal-links`, {
        token: ops,
        body: { links: [{ name: 'Elsewhere', url: 'https://x.example.com', service }] },
      }),
      200,
    );
    const mine = await publish({ audience: { tenants: [customer.tenant.number] } });

    const home = await platform.api('GET', '/home', { token: customer.token });
    expectStatus(home, 200);
    const view = home.body as HomeView;
    expect(view.caseCounts).toEqual({ all: 3, action_required: 1, alerts: 1 });
    expect(view.links).toEqual([
      { name: 'EDR console', url: 'https://edr.example.com/console' },
      { name: 'Support site', url: 'https://support.example.com' },
    ]);
    expect(view.announcements.filter((a) => a.id === mine.id)).toEqual([
      expect.objectContaining({ id: mine.id, banner: true, dismissed: false }),
    ]);
    const neighbourHome = (await platform.api('GET', '/home', { token: neighbour.token })).body as HomeView;
    expect(neighbourHome.caseCounts).toEqual({ all: 1, action_required: 0, alerts: 0 });
    expect(neighbourHome.links).toEqual([]);
    expect(neighbourHome.announcements.filter((a) => a.id === mine.id)).toEqual([]);
    // Operators have no home page of a tenant.
    expect((await platform.api('GET', '/home', { token: ops })).status).toBe(403);

    const facts: { payload: AuditEvent }[] = await platform.dataSource.query(
      `SELECT payload FROM case_management.${copy} WHERE payload->>'type' IN
         ('case-management.portal_links.updated', 'case-management.announcement.created')
         AND payload->'target'->>'id' IN ($1, $2)`,
      [customer.tenant.number, mine.id],
    );
    expect(facts.map((f) => f.payload.type).sort()).toEqual([
      'case-management.announcement.created',
      'case-management.portal_links.updated',
    ]);
  });
});
