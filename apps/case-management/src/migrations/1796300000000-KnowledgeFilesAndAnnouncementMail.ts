import { MigrationInterface, QueryRunner } from 'typeorm';

const S = 'case_management';

/**
 * Files of knowledge articles (CASE-10) and the announcement e-mail mark (CASE-11).
 *
 * An article's files live in the attachments' store, recorded as case attachments are: a row is
 * written when an upload begins (its key reserved) and completed when the bytes are stored. A
 * `document` article's body is a file: `document_id` names its committed file, and until it does
 * customers do not see the article. `mailed_at` marks an announcement whose e-mail was asked for, so
 * it is mailed once however often the operator asks; the mailing goes page by page through the
 * audience, `mail_cursor` keeping the last user queued and `mail_claimed_at` the lease of the replica
 * doing it, so a mailing a stopped replica left is resumed where it stopped; `mail_done_at` ends it.
 */
export class KnowledgeFilesAndAnnouncementMail1796300000000 implements MigrationInterface {
  name = 'KnowledgeFilesAndAnnouncementMail1796300000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ${S}.knowledge_article
      ADD COLUMN format text NOT NULL DEFAULT 'html' CHECK (format IN ('html', 'document')),
      ADD COLUMN description text,
      ADD COLUMN document_id uuid`);
    await q.query(`CREATE TABLE ${S}.knowledge_file (
      id uuid PRIMARY KEY,
      article_id uuid NOT NULL REFERENCES ${S}.knowledge_article (id) ON DELETE CASCADE,
      role text NOT NULL CHECK (role IN ('attachment', 'document')),
      storage_key text NOT NULL UNIQUE,
      name text,
      size bigint,
      sha256 text,
      content_type text,
      uploaded_by_id uuid NOT NULL,
      created_at timestamptz NOT NULL,
      committed_at timestamptz,
      sweeping_at timestamptz,
      CHECK (committed_at IS NULL OR (name IS NOT NULL AND size IS NOT NULL AND sha256 IS NOT NULL
        AND content_type IS NOT NULL AND sweeping_at IS NULL)))`);
    await q.query(`CREATE INDEX knowledge_file_article ON ${S}.knowledge_file (article_id, committed_at)
      WHERE committed_at IS NOT NULL`);
    await q.query(`CREATE INDEX knowledge_file_pending ON ${S}.knowledge_file (created_at)
      WHERE committed_at IS NULL`);
    await q.query(`ALTER TABLE ${S}.announcement ADD COLUMN mailed_at timestamptz,
      ADD COLUMN mail_cursor text, ADD COLUMN mail_claimed_at timestamptz, ADD COLUMN mail_done_at timestamptz`);
    await q.query(`CREATE INDEX announcement_mail_unfinished ON ${S}.announcement (mailed_at)
      WHERE mailed_at IS NOT NULL AND mail_done_at IS NULL`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE ${S}.announcement DROP COLUMN mail_done_at, DROP COLUMN mail_claimed_at,
      DROP COLUMN mail_cursor, DROP COLUMN mailed_at`);
    await q.query(`DROP TABLE ${S}.knowledge_file`);
    await q.query(`ALTER TABLE ${S}.knowledge_article DROP COLUMN document_id, DROP COLUMN description,
      DROP COLUMN format`);
  }
}
