import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { KnowledgeFileRole } from '@app/contracts';
import { AllTenants, CaseScope } from '../caller/case-caller';
import { SqlParams } from '../common/sql-params';
import { visibleArticlePredicate } from './knowledge.repository';

const S = 'case_management';

/** An upload to an article about to begin: its row reserves the key before any byte is written. */
export interface NewKnowledgeUpload {
  id: string;
  articleId: string;
  role: KnowledgeFileRole;
  storageKey: string;
  uploadedById: string;
  createdAt: Date;
}

/** What the gateway measured while streaming the bytes. */
export interface KnowledgeUploadFacts {
  name: string;
  size: number;
  sha256: string;
  contentType: string;
}

/** A committed file of an article. */
export interface KnowledgeFile extends KnowledgeUploadFacts {
  id: string;
  articleId: string;
  role: KnowledgeFileRole;
  storageKey: string;
  committedAt: Date;
}

interface FileRow {
  id: string;
  article_id: string;
  role: KnowledgeFileRole;
  storage_key: string;
  name: string;
  size: string;
  sha256: string;
  content_type: string;
  committed_at: Date;
}

const FILE_COLUMNS = `f.id, f.article_id, f.role, f.storage_key, f.name, f.size, f.sha256, f.content_type, f.committed_at`;

/**
 * All I/O of the records of articles' files (CASE-10), kept as case attachments' are: a commit
 * completes only a row that is still pending, unclaimed by the sweep and the uploader's own. A file is
 * read only through its article found in the reader's scope (visibleArticlePredicate), so a file of
 * another base's article is not found, exactly as one that does not exist.
 */
@Injectable()
export class KnowledgeFilesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async reserve(upload: NewKnowledgeUpload): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO ${S}.knowledge_file (id, article_id, role, storage_key, uploaded_by_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [upload.id, upload.articleId, upload.role, upload.storageKey, upload.uploadedById, upload.createdAt],
    );
  }

  /**
   * Completes the pending upload `id` of article `articleId` in `role` begun by `uploaderId`; false
   * when there is no such pending upload (unknown, someone else's, committed, or claimed by the sweep).
   */
  async complete(
    manager: EntityManager,
    articleId: string,
    role: KnowledgeFileRole,
    id: string,
    uploaderId: string,
    facts: KnowledgeUploadFacts,
    at: Date,
  ): Promise<boolean> {
    const result: [unknown[], number] = await manager.query(
      `UPDATE ${S}.knowledge_file
          SET name = $5, size = $6, sha256 = $7, content_type = $8, committed_at = $9
        WHERE id = $1 AND article_id = $2 AND role = $3 AND uploaded_by_id = $4
          AND committed_at IS NULL AND sweeping_at IS NULL
        RETURNING id`,
      [id, articleId, role, uploaderId, facts.name, facts.size, facts.sha256, facts.contentType, at],
    );
    return result[0].length > 0;
  }

  /** Operators: makes `fileId` the document article's file; answers the file it replaces, if any. */
  async setDocument(
    manager: EntityManager,
    _scope: AllTenants,
    articleId: string,
    fileId: string,
    at: Date,
  ): Promise<{ id: string; storageKey: string } | null> {
    const old: { id: string; storage_key: string }[] = await manager.query(
      `SELECT f.id, f.storage_key FROM ${S}.knowledge_article a
         JOIN ${S}.knowledge_file f ON f.id = a.document_id WHERE a.id = $1`,
      [articleId],
    );
    await manager.query(`UPDATE ${S}.knowledge_article SET document_id = $2, updated_at = $3 WHERE id = $1`, [
      articleId,
      fileId,
      at,
    ]);
    if (old.length === 0) {
      return null;
    }
    await manager.query(`DELETE FROM ${S}.knowledge_file WHERE id = $1`, [old[0].id]);
    return { id: old[0].id, storageKey: old[0].storage_key };
  }

  /** A file added to an article changes it: it moves up in the newest-first lists. */
  async touch(manager: EntityManager, articleId: string, at: Date): Promise<void> {
    await manager.query(`UPDATE ${S}.knowledge_article SET updated_at = $2 WHERE id = $1`, [articleId, at]);
  }

  /** The committed files of the given articles, oldest first (the article was found in scope). */
  async committedOf(articleIds: string[]): Promise<KnowledgeFile[]> {
    if (articleIds.length === 0) {
      return [];
    }
    const rows: FileRow[] = await this.dataSource.query(
      `SELECT ${FILE_COLUMNS} FROM ${S}.knowledge_file f
        WHERE f.article_id = ANY($1::uuid[]) AND f.committed_at IS NOT NULL
        ORDER BY f.committed_at, f.id`,
      [articleIds],
    );
    return rows.map(toFile);
  }

  /**
   * A committed file of article `number` as `scope` sees the article; null when the article is not in
   * scope (another base's, an unpublished document for a customer) or has no such file.
   */
  async findCommitted(
    scope: CaseScope,
    number: string,
    id: string,
  ): Promise<(KnowledgeFile & { articleNumber: string }) | null> {
    const params = new SqlParams();
    const rows: (FileRow & { number: string })[] = await this.dataSource.query(
      `SELECT ${FILE_COLUMNS}, a.number FROM ${S}.knowledge_file f
         JOIN ${S}.knowledge_article a ON a.id = f.article_id
         JOIN ${S}.knowledge_base b ON b.id = a.base_id
        WHERE ${visibleArticlePredicate(scope, params)} AND a.number = ${params.add(number)}
          AND f.id = ${params.add(id)} AND f.committed_at IS NOT NULL
          AND (f.role = 'attachment' OR f.id = a.document_id)`,
      params.values,
    );
    return rows.length > 0 ? { ...toFile(rows[0]), articleNumber: rows[0].number } : null;
  }

  /** The store keys of an article's files (committed or not), before the article is deleted. */
  async keysOf(manager: EntityManager, articleId: string): Promise<string[]> {
    const rows: { storage_key: string }[] = await manager.query(
      `SELECT storage_key FROM ${S}.knowledge_file WHERE article_id = $1`,
      [articleId],
    );
    return rows.map((r) => r.storage_key);
  }

  /**
   * Claims up to `limit` pending uploads begun before `before` (and any a crashed sweep had claimed).
   * SKIP LOCKED: replicas sweeping at once take different rows; a row a commit holds is left alone.
   */
  async claimOrphans(before: Date, now: Date, limit: number): Promise<{ id: string; storageKey: string }[]> {
    const rows: [{ id: string; storage_key: string }[], number] = await this.dataSource.query(
      `UPDATE ${S}.knowledge_file SET sweeping_at = $2
        WHERE id IN (SELECT id FROM ${S}.knowledge_file
                      WHERE committed_at IS NULL AND (created_at < $1 OR sweeping_at IS NOT NULL)
                      ORDER BY created_at LIMIT $3 FOR UPDATE SKIP LOCKED)
        RETURNING id, storage_key`,
      [before, now, limit],
    );
    return rows[0].map((r) => ({ id: r.id, storageKey: r.storage_key }));
  }

  /** Removes a claimed orphan's row, once its bytes are gone. */
  async forget(id: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM ${S}.knowledge_file WHERE id = $1 AND committed_at IS NULL AND sweeping_at IS NOT NULL`,
      [id],
    );
  }
}

function toFile(r: FileRow): KnowledgeFile {
  return {
    id: r.id,
    articleId: r.article_id,
    role: r.role,
    storageKey: r.storage_key,
    name: r.name,
    size: Number(r.size),
    sha256: r.sha256,
    contentType: r.content_type,
    committedAt: r.committed_at,
  };
}
