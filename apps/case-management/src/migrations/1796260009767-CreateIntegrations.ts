import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Alert integrations (CASE-9): API keys (only the SHA-256 of each key is kept; its public prefix
 * finds it), the link from an alert's external id to its case (one case per tenant and external id,
 * which is what makes two identical posts one case), and a receipt per alert the gateway took, so an
 * alert that reaches the service twice (directly and through the queue) is applied once.
 */
export class CreateIntegrations1796260009767 implements MigrationInterface {
  name = 'CreateIntegrations1796260009767';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE case_management.integration_key (
      id uuid PRIMARY KEY,
      name text NOT NULL,
      prefix text NOT NULL UNIQUE,
      key_hash text NOT NULL,
      scopes text[] NOT NULL,
      tenants text[] NOT NULL,
      created_by uuid NOT NULL,
      created_at timestamptz NOT NULL,
      revoked_at timestamptz)`);
    await q.query(`CREATE TABLE case_management.integration_alert (
      tenant_number text NOT NULL,
      external_id text NOT NULL,
      case_id uuid NOT NULL REFERENCES case_management.case_record (id),
      case_number text NOT NULL,
      severity text,
      last_received_at timestamptz NOT NULL,
      PRIMARY KEY (tenant_number, external_id))`);
    await q.query(`CREATE TABLE case_management.integration_alert_receipt (
      alert_id uuid PRIMARY KEY,
      key_id uuid NOT NULL,
      case_id uuid REFERENCES case_management.case_record (id),
      outcome text NOT NULL,
      received_at timestamptz NOT NULL,
      applied_at timestamptz NOT NULL)`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE case_management.integration_alert_receipt`);
    await q.query(`DROP TABLE case_management.integration_alert`);
    await q.query(`DROP TABLE case_management.integration_key`);
  }
}
