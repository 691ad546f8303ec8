import { MigrationInterface, QueryRunner } from 'typeorm';
import { createOutboxNotifyTriggerSql, dropOutboxNotifyTriggerSql } from '@app/database';

const S = 'case_management';

/** CASE-3: the categories every installation starts with; operators add and relabel later. */
const SEEDED_CATEGORIES: [code: string, ja: string, en: string, customerSelectable: boolean][] = [
  ['service', 'サービスについて', 'About the service', true],
  ['product_spec', '製品仕様について', 'About product specifications', true],
  ['fault', '障害について', 'About a fault', true],
  ['other', 'その他', 'Other', true],
  ['monthly_report_inquiry', '月次レポートについて', 'About the monthly report', false],
  ['security_alert', 'セキュリティアラート', 'Security alert', false],
  ['monitoring_alert', '監視アラート', 'Monitoring alert', false],
  ['incident_report', 'インシデント報告', 'Incident report', false],
  ['incident_response', 'インシデント対応', 'Incident response', false],
  ['incident', 'インシデント', 'Incident', false],
  ['work_request', '作業依頼', 'Work request', false],
  ['monthly_report', '月次レポート送付', 'Monthly report delivery', false],
  ['alarm', 'アラーム', 'Alarm', false],
  ['alert', 'アラート', 'Alert', false],
  ['about_alerts', 'アラートについて', 'About alerts', false],
  ['health_check', 'ヘルスチェック依頼（利用開始時）', 'Health-check request (at start of use)', false],
  ['credits_exceeded', '利用クレジット超過', 'Usage credits exceeded', false],
];

/**
 * Services and contracts (CASE-1), categories (CASE-3), cases with their watchers and activity
 * (CASE-2, CASE-5, CASE-6).
 *
 * Case numbers come from a sequence, so they are unique and increasing across replicas without a
 * lock. The one-open-inquiry rule (CASE-4) is a partial unique index: of two concurrent creations
 * PostgreSQL lets exactly one commit, which no read-then-insert in the application can promise.
 */
export class CreateCasesAndContracts1764633600000 implements MigrationInterface {
  name = 'CreateCasesAndContracts1764633600000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of createOutboxNotifyTriggerSql(S)) {
      await q.query(sql);
    }
    await q.query(`CREATE TABLE ${S}.service (
      code text PRIMARY KEY,
      name_ja text NOT NULL,
      name_en text NOT NULL,
      settings_schema jsonb,
      created_at timestamptz NOT NULL)`);
    await q.query(`CREATE TABLE ${S}.contract (
      id uuid PRIMARY KEY,
      tenant_number text NOT NULL,
      contractor text NOT NULL,
      service_code text NOT NULL REFERENCES ${S}.service (code),
      start_date date NOT NULL,
      licence_type text,
      id_count integer,
      settings jsonb NOT NULL DEFAULT '{}',
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      CONSTRAINT contract_tenant_service UNIQUE (tenant_number, service_code))`);
    await q.query(`CREATE TABLE ${S}.category (
      code text PRIMARY KEY,
      label_ja text NOT NULL,
      label_en text NOT NULL,
      customer_selectable boolean NOT NULL,
      created_at timestamptz NOT NULL DEFAULT now())`);
    for (const [code, ja, en, selectable] of SEEDED_CATEGORIES) {
      await q.query(
        `INSERT INTO ${S}.category (code, label_ja, label_en, customer_selectable) VALUES ($1, $2, $3, $4)
         ON CONFLICT (code) DO NOTHING`,
        [code, ja, en, selectable],
      );
    }
    await q.query(`CREATE SEQUENCE ${S}.case_number_seq MINVALUE 1 MAXVALUE 9999999 NO CYCLE`);
    await q.query(`CREATE TABLE ${S}.case_record (
      id uuid PRIMARY KEY,
      number text NOT NULL UNIQUE,
      tenant_number text NOT NULL,
      contractor text NOT NULL,
      service_code text NOT NULL REFERENCES ${S}.service (code),
      category_code text NOT NULL REFERENCES ${S}.category (code),
      subject text NOT NULL,
      description text NOT NULL,
      origin text NOT NULL CHECK (origin IN ('customer', 'operator', 'integration', 'work_request')),
      requester_id uuid,
      requester_name text,
      status text NOT NULL CHECK (status IN ('new', 'in_progress', 'awaiting_customer', 'resolved', 'closed')),
      counts_as_inquiry boolean NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      closed_at timestamptz)`);
    await q.query(
      `CREATE UNIQUE INDEX case_one_open_inquiry ON ${S}.case_record (tenant_number, service_code)
       WHERE counts_as_inquiry AND status <> 'closed'`,
    );
    await q.query(`CREATE INDEX case_tenant_updated ON ${S}.case_record (tenant_number, updated_at DESC)`);
    await q.query(`CREATE INDEX case_updated ON ${S}.case_record (updated_at DESC)`);
    await q.query(`CREATE TABLE ${S}.case_watcher (
      case_id uuid NOT NULL REFERENCES ${S}.case_record (id) ON DELETE CASCADE,
      user_id uuid NOT NULL,
      name text NOT NULL,
      PRIMARY KEY (case_id, user_id))`);
    await q.query(`CREATE INDEX case_watcher_user ON ${S}.case_watcher (user_id)`);
    await q.query(`CREATE TABLE ${S}.case_activity (
      id uuid PRIMARY KEY,
      case_id uuid NOT NULL REFERENCES ${S}.case_record (id) ON DELETE CASCADE,
      tenant_number text NOT NULL,
      kind text NOT NULL CHECK (kind IN ('comment', 'system')),
      author_id uuid,
      author_name text,
      author_role text CHECK (author_role IN ('customer', 'operator', 'integration')),
      body text,
      event text,
      data jsonb,
      at timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX case_activity_case ON ${S}.case_activity (case_id, at)`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of ['case_activity', 'case_watcher', 'case_record', 'category', 'contract', 'service']) {
      await q.query(`DROP TABLE ${S}.${table}`);
    }
    await q.query(`DROP SEQUENCE ${S}.case_number_seq`);
    for (const sql of dropOutboxNotifyTriggerSql(S)) {
      await q.query(sql);
    }
  }
}
