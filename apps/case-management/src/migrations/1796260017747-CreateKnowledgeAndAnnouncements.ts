import { MigrationInterface, QueryRunner } from 'typeorm';

const S = 'case_management';

/**
 * Knowledge (CASE-10), announcements and portal links (CASE-11).
 *
 * Article numbers come from a sequence, like case numbers. An article's searchable text is folded
 * and stored with its 2-character grams under a GIN index, as cases' is (search-text.util.ts).
 * A view is counted by inserting (article, user, day) into a table whose primary key admits one row
 * per user and day, so two concurrent views of one user count once without a lock.
 */
export class CreateKnowledgeAndAnnouncements1796260017747 implements MigrationInterface {
  name = 'CreateKnowledgeAndAnnouncements1796260017747';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE ${S}.knowledge_base (
      id uuid PRIMARY KEY,
      name_ja text NOT NULL,
      name_en text NOT NULL,
      service_code text REFERENCES ${S}.service (code),
      created_at timestamptz NOT NULL)`);
    await q.query(`CREATE INDEX knowledge_base_service ON ${S}.knowledge_base (service_code)`);
    await q.query(`CREATE TABLE ${S}.knowledge_category (
      id uuid PRIMARY KEY,
      base_id uuid NOT NULL REFERENCES ${S}.knowledge_base (id),
      code text NOT NULL,
      position bigint,
      name_ja text NOT NULL,
      name_en text NOT NULL,
      created_at timestamptz NOT NULL,
      CONSTRAINT knowledge_category_code UNIQUE (base_id, code))`);
    await q.query(`CREATE SEQUENCE ${S}.knowledge_article_number_seq`);
    await q.query(`CREATE TABLE ${S}.knowledge_article (
      id uuid PRIMARY KEY,
      number text NOT NULL UNIQUE,
      base_id uuid NOT NULL REFERENCES ${S}.knowledge_base (id),
      category_id uuid NOT NULL REFERENCES ${S}.knowledge_category (id),
      title text NOT NULL,
      body text NOT NULL,
      body_text text NOT NULL,
      language text NOT NULL CHECK (language IN ('ja', 'en')),
      author_id uuid NOT NULL,
      author_name text NOT NULL,
      views bigint NOT NULL DEFAULT 0,
      search_text text NOT NULL,
      search_grams text[] NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL)`);
    await q.query(
      `CREATE INDEX knowledge_article_search_grams ON ${S}.knowledge_article USING gin (search_grams)`,
    );
    await q.query(
      `CREATE INDEX knowledge_article_base_updated ON ${S}.knowledge_article (base_id, updated_at DESC)`,
    );
    await q.query(`CREATE INDEX knowledge_article_category ON ${S}.knowledge_article (category_id)`);
    await q.query(`CREATE TABLE ${S}.knowledge_view (
      article_id uuid NOT NULL REFERENCES ${S}.knowledge_article (id) ON DELETE CASCADE,
      user_id uuid NOT NULL,
      day date NOT NULL,
      PRIMARY KEY (article_id, user_id, day))`);
    await q.query(`CREATE TABLE ${S}.announcement (
      id uuid PRIMARY KEY,
      title text NOT NULL,
      body text NOT NULL,
      article_number text,
      banner boolean NOT NULL,
      starts_at timestamptz NOT NULL,
      ends_at timestamptz NOT NULL,
      audience_all boolean NOT NULL,
      audience_tenants text[] NOT NULL,
      audience_services text[] NOT NULL,
      created_by uuid NOT NULL,
      created_at timestamptz NOT NULL,
      updated_at timestamptz NOT NULL,
      CONSTRAINT announcement_window CHECK (starts_at < ends_at),
      CONSTRAINT announcement_audience CHECK (
        audience_all OR cardinality(audience_tenants) + cardinality(audience_services) > 0))`);
    await q.query(`CREATE INDEX announcement_window_idx ON ${S}.announcement (ends_at, starts_at)`);
    await q.query(`CREATE TABLE ${S}.announcement_dismissal (
      announcement_id uuid NOT NULL REFERENCES ${S}.announcement (id) ON DELETE CASCADE,
      user_id uuid NOT NULL,
      at timestamptz NOT NULL,
      PRIMARY KEY (announcement_id, user_id))`);
    await q.query(`CREATE TABLE ${S}.portal_link (
      tenant_number text NOT NULL,
      position integer NOT NULL,
      name text NOT NULL,
      url text NOT NULL,
      service_code text,
      PRIMARY KEY (tenant_number, position))`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'portal_link',
      'announcement_dismissal',
      'announcement',
      'knowledge_view',
      'knowledge_article',
      'knowledge_category',
      'knowledge_base',
    ]) {
      await q.query(`DROP TABLE ${S}.${table}`);
    }
    await q.query(`DROP SEQUENCE ${S}.knowledge_article_number_seq`);
  }
}
