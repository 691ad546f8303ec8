import { Client, DatabaseError } from 'pg';
import { DataSource } from 'typeorm';
import { verifyChain } from '@app/audit/chain/verify-chain';
import { parseAuditEventPayload } from '@app/audit/ingest/audit-event-payload.schema';
import { AuditEventRepository } from '@app/audit/store/audit-event.repository';
import { newAuditEvent } from './support/audit-harness';
import { OwnAuditDatabase } from './support/audit-database';

jest.setTimeout(60_000);

/** PostgreSQL's refusal: "permission denied for …" or "must be owner of …" (both SQLSTATE 42501). */
async function expectRefused(sql: Client, statement: string): Promise<void> {
  const error: unknown = await sql.query(statement).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(DatabaseError);
  expect((error as DatabaseError).code).toBe('42501');
  expect((error as DatabaseError).message).toMatch(/permission denied|must be owner/);
}

/**
 * AUDIT-3: the audit service's runtime role (AUDIT_DATABASE_URL, a login role of `npm test` in
 * `mamori_audit_writer`) adds to and reads the trail, and PostgreSQL refuses it everything else.
 */
describe('the audit runtime role', () => {
  const db = new OwnAuditDatabase();
  let runtime: DataSource;
  let sql: Client;

  beforeAll(async () => {
    await db.create();
    runtime = await db.dataSource(db.runtimeUrl).initialize();
    sql = new Client({ connectionString: db.runtimeUrl });
    await sql.connect();
  });

  afterAll(async () => {
    await sql?.end();
    await runtime?.destroy();
    await db.drop();
  });

  it('is not the owner of the trail and not a superuser', async () => {
    const { rows } = await sql.query(
      `SELECT r.rolsuper, pg_has_role(current_user, c.relowner, 'MEMBER') AS owner
         FROM pg_roles r, pg_class c
        WHERE r.rolname = current_user AND c.oid = 'audit.event'::regclass`,
    );
    expect(rows).toEqual([{ rolsuper: false, owner: false }]);
  });

  it('appends and reads events through the service repository', async () => {
    const repository = new AuditEventRepository(runtime);
    for (let i = 0; i < 3; i++) {
      const parsed = parseAuditEventPayload(Buffer.from(JSON.stringify(newAuditEvent())));
      if (!parsed.ok) {
        throw new Error(parsed.problems.join());
      }
      await expect(repository.append(parsed.event, new Date())).resolves.toMatchObject({ stored: true });
    }
    await expect(verifyChain(runtime)).resolves.toMatchObject({ ok: true, count: 3 });
  });

  it.each([
    ['UPDATE', `UPDATE audit.event SET outcome = 'failure'`],
    ['DELETE', 'DELETE FROM audit.event'],
    ['TRUNCATE', 'TRUNCATE audit.event'],
    ['disable the trigger', 'ALTER TABLE audit.event DISABLE TRIGGER event_append_only'],
    ['disable every trigger', 'ALTER TABLE audit.event DISABLE TRIGGER ALL'],
    ['drop the trigger', 'DROP TRIGGER event_append_only ON audit.event'],
    ['drop the truncate trigger', 'DROP TRIGGER event_no_truncate ON audit.event'],
    [
      'replace the trigger function',
      `CREATE OR REPLACE FUNCTION audit.refuse_event_change() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`,
    ],
    ['drop the trigger function', 'DROP FUNCTION audit.refuse_event_change() CASCADE'],
    ['change the owner', 'ALTER TABLE audit.event OWNER TO CURRENT_USER'],
    ['drop the table', 'DROP TABLE audit.event'],
    ['rename the table', 'ALTER TABLE audit.event RENAME TO event_old'],
    ['add a column', 'ALTER TABLE audit.event ADD COLUMN note text'],
    ['create a table in the schema', 'CREATE TABLE audit.shadow (id int)'],
  ])('is refused by PostgreSQL: %s', async (_what, statement) => {
    await expectRefused(sql, statement);
  });

  it('cannot grant itself UPDATE: PostgreSQL grants nothing and the update stays refused', async () => {
    // A role without the grant option gets a warning, not an error, and no privilege.
    await sql.query('GRANT UPDATE, DELETE ON audit.event TO CURRENT_USER');
    await expectRefused(sql, `UPDATE audit.event SET outcome = 'failure'`);
    await expectRefused(sql, 'DELETE FROM audit.event');
  });

  it('leaves the trail whole after every refused attempt', async () => {
    await expect(verifyChain(runtime)).resolves.toMatchObject({ ok: true, count: 3 });
  });
});
