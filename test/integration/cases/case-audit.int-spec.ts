import { randomBytes } from 'node:crypto';
import { AuditEvent, CaseSummaryView } from '@app/contracts';
import { expectStatus } from '@app/testing';
import { CasePlatform } from './case-platform';

/**
 * Every change leaves its fact in the service's outbox in its own transaction (AUDIT-1). The relay
 * deletes rows as it publishes them, so a trigger copies each committed row into a table of this
 * test's own, which holds a fact exactly when its change was committed.
 */
describe('case facts in the outbox (AUDIT-1)', () => {
  let platform: CasePlatform;
  const copy = `test_case_audit_${randomBytes(6).toString('hex')}`;

  beforeAll(async () => {
    platform = await CasePlatform.create();
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

  it('records creation, comments and status changes of a case with actor, target and tenant, and no text', async () => {
    const ops = await platform.operator();
    const customer = await platform.customer();
    const service = await platform.contract(ops, customer.tenant);
    const created = await platform.api('POST', '/cases', {
      token: customer.token,
      body: { service, category: 'fault', subject: 'Secret subject', description: 'secret text' },
    });
    expectStatus(created, 201);
    const { number } = created.body as CaseSummaryView;
    expectStatus(
      await platform.api('POST', `/cases/${number}/comments`, {
        token: customer.token,
        body: { body: 'more' },
      }),
      201,
    );
    expectStatus(await platform.api('POST', `/cases/${number}/close`, { token: customer.token }), 200);

    const rows: { payload: AuditEvent }[] = await platform.dataSource.query(
      `SELECT payload FROM case_management.${copy} ORDER BY seq`,
    );
    const facts = rows.map((r) => r.payload).filter((e) => e.target?.id === number);
    expect(facts.map((e) => [e.type, e.outcome, e.actor.userId, e.tenants])).toEqual([
      ['case-management.case.created', 'success', customer.user.id, [customer.tenant.number]],
      ['case-management.case.commented', 'success', customer.user.id, [customer.tenant.number]],
      ['case-management.case.status_changed', 'success', customer.user.id, [customer.tenant.number]],
    ]);
    expect(facts[2].reasons).toEqual(['new->closed', 'close']);
    expect(JSON.stringify(facts)).not.toMatch(/secret|more/i);
  });
});
