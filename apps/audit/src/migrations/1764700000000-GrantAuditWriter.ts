import { MigrationInterface, QueryRunner } from 'typeorm';
import { AUDIT_WRITER_ROLE } from '../store/audit-roles';

/**
 * AUDIT-3: the runtime role of the audit service may only add to and read the trail. Migrations run
 * as the schema owner (DATABASE_URL); the service runs as a login role that is a member of
 * AUDIT_WRITER_ROLE (AUDIT_DATABASE_URL). The owner keeps every right, which is why the service
 * must not run as the owner: the owner could disable the append-only triggers.
 */
export class GrantAuditWriter1764700000000 implements MigrationInterface {
  name = 'GrantAuditWriter1764700000000';

  async up(q: QueryRunner): Promise<void> {
    const statements = [
      // Roles are cluster-wide: another database on the server (or a parallel run) may have made
      // it already, or be making it right now (unique_violation from the catalogue).
      `DO $$ BEGIN
         CREATE ROLE ${AUDIT_WRITER_ROLE} NOLOGIN;
       EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
       END $$`,
      `REVOKE ALL ON audit.event FROM PUBLIC`,
      `GRANT USAGE ON SCHEMA audit TO ${AUDIT_WRITER_ROLE}`,
      `GRANT SELECT, INSERT ON audit.event TO ${AUDIT_WRITER_ROLE}`,
      // bigserial: nextval() needs USAGE on the sequence.
      `GRANT USAGE ON SEQUENCE audit.event_seq_seq TO ${AUDIT_WRITER_ROLE}`,
      // The outbox is a queue, not the trail: its relay deletes what JetStream has acknowledged.
      `GRANT SELECT, INSERT, UPDATE, DELETE ON audit.outbox TO ${AUDIT_WRITER_ROLE}`,
    ];
    for (const sql of statements) {
      await q.query(sql);
    }
  }

  async down(q: QueryRunner): Promise<void> {
    // The role itself stays: other databases on the server may still grant it.
    await q.query(`REVOKE ALL ON ALL TABLES IN SCHEMA audit FROM ${AUDIT_WRITER_ROLE}`);
    await q.query(`REVOKE ALL ON ALL SEQUENCES IN SCHEMA audit FROM ${AUDIT_WRITER_ROLE}`);
    await q.query(`REVOKE USAGE ON SCHEMA audit FROM ${AUDIT_WRITER_ROLE}`);
  }
}
