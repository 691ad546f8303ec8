import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CaseScope } from '../caller/case-caller';
import { SqlParams } from '../common/sql-params';

const S = 'case_management';

/** An upload about to begin: its row reserves the key before any byte is written. */
export interface NewUpload {
  id: string;
  /** The case it is for; null for a work request's file (then `workRequestId`). */
  caseId: string | null;
  workRequestId?: string;
  tenantNumber: string;
  storageKey: string;
  uploadedById: string;
  uploadedByName: string;
  uploadedByRole: 'customer' | 'operator';
  createdAt: Date;
}

/** What the gateway measured while streaming the bytes. */
export interface UploadFacts {
  name: string;
  size: number;
  sha256: string;
  contentType: string;
}

/** A committed attachment found in a caller's scope, with its case's number and tenant. */
export interface FoundAttachment extends UploadFacts {
  id: string;
  storageKey: string;
  caseNumber: string;
  tenantNumber: string;
}

/** A committed file of a work request (CASE-7). */
export interface StoredRequestFile extends UploadFacts {
  id: string;
  committedAt: Date;
}

/** An orphan the sweep has claimed. */
export interface ClaimedOrphan {
  id: string;
  storageKey: string;
}

/**
 * All I/O of attachment records (CASE-6). Each decision is one statement: a commit completes only
 * a row that is still pending, unclaimed by the sweep and the caller's own; the sweep claims only
 * rows that are still pending. So a commit and a sweep racing for one row cannot both win.
 */
@Injectable()
export class AttachmentsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async reserve(upload: NewUpload): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO ${S}.case_attachment (id, case_id, tenant_number, storage_key, uploaded_by_id,
         uploaded_by_name, uploaded_by_role, created_at, work_request_id)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        upload.id,
        upload.caseId,
        upload.tenantNumber,
        upload.storageKey,
        upload.uploadedById,
        upload.uploadedByName,
        upload.uploadedByRole,
        upload.createdAt,
        upload.workRequestId ?? null,
      ],
    );
  }

  /**
   * As `complete`, for the pending upload `id` of work request `workRequestId` (CASE-7): answers the
   * uploader's name, or null when there is no such pending upload of that uploader.
   */
  async completeForRequest(
    manager: EntityManager,
    workRequestId: string,
    id: string,
    uploaderId: string,
    facts: UploadFacts,
    at: Date,
  ): Promise<string | null> {
    const result: [{ uploaded_by_name: string }[], number] = await manager.query(
      `UPDATE ${S}.case_attachment
          SET name = $4, size = $5, sha256 = $6, content_type = $7, committed_at = $8
        WHERE id = $1 AND work_request_id = $2 AND case_id IS NULL AND uploaded_by_id = $3
          AND committed_at IS NULL AND sweeping_at IS NULL
        RETURNING uploaded_by_name`,
      [id, workRequestId, uploaderId, facts.name, facts.size, facts.sha256, facts.contentType, at],
    );
    return result[0][0]?.uploaded_by_name ?? null;
  }

  /**
   * The committed files of a work request become its case's (CASE-7: carried over by reference):
   * the same rows, the same stored bytes. Pending uploads stay the request's and end as orphans.
   * Answers the adopted attachments.
   */
  async adoptIntoCase(
    manager: EntityManager,
    tenant: string,
    workRequestId: string,
    caseId: string,
  ): Promise<{ id: string; name: string; size: number; contentType: string }[]> {
    const result: [{ id: string; name: string; size: string; content_type: string }[], number] =
      await manager.query(
        `UPDATE ${S}.case_attachment SET case_id = $3
          WHERE work_request_id = $2 AND tenant_number = $1 AND case_id IS NULL AND committed_at IS NOT NULL
          RETURNING id, name, size, content_type`,
        [tenant, workRequestId, caseId],
      );
    return result[0].map((r) => ({
      id: r.id,
      name: r.name,
      size: Number(r.size),
      contentType: r.content_type,
    }));
  }

  /** A committed file of work request `workRequestId` (whose scope the caller has checked), or null. */
  async findCommittedOfRequest(
    tenant: string,
    workRequestId: string,
    id: string,
  ): Promise<(StoredRequestFile & { storageKey: string }) | null> {
    const rows: {
      id: string;
      storage_key: string;
      name: string;
      size: string;
      sha256: string;
      content_type: string;
      committed_at: Date;
    }[] = await this.dataSource.query(
      `SELECT id, storage_key, name, size, sha256, content_type, committed_at FROM ${S}.case_attachment
        WHERE id = $1 AND work_request_id = $2 AND tenant_number = $3 AND committed_at IS NOT NULL`,
      [id, workRequestId, tenant],
    );
    const r = rows[0];
    return r
      ? {
          id: r.id,
          storageKey: r.storage_key,
          name: r.name,
          size: Number(r.size),
          sha256: r.sha256,
          contentType: r.content_type,
          committedAt: new Date(r.committed_at),
        }
      : null;
  }

  /** The committed files of these work requests of `tenant`, oldest first, by request. */
  async ofWorkRequests(
    scope: CaseScope,
    workRequestIds: string[],
  ): Promise<Map<string, StoredRequestFile[]>> {
    const byRequest = new Map<string, StoredRequestFile[]>();
    if (workRequestIds.length === 0) {
      return byRequest;
    }
    const tenant = scope.kind === 'tenant' ? scope.tenant : null;
    const rows: {
      id: string;
      work_request_id: string;
      name: string;
      size: string;
      sha256: string;
      content_type: string;
      committed_at: Date;
    }[] = await this.dataSource.query(
      `SELECT id, work_request_id, name, size, sha256, content_type, committed_at
         FROM ${S}.case_attachment
        WHERE work_request_id = ANY($1::uuid[]) AND ($2::text IS NULL OR tenant_number = $2)
          AND committed_at IS NOT NULL
        ORDER BY committed_at, id`,
      [workRequestIds, tenant],
    );
    for (const r of rows) {
      const list = byRequest.get(r.work_request_id) ?? [];
      list.push({
        id: r.id,
        name: r.name,
        size: Number(r.size),
        sha256: r.sha256,
        contentType: r.content_type,
        committedAt: new Date(r.committed_at),
      });
      byRequest.set(r.work_request_id, list);
    }
    return byRequest;
  }

  /**
   * Completes the pending upload `id` of case `caseId` begun by `uploaderId` and answers the uploader's
   * name kept with it; null when there is no such pending upload (unknown, someone else's, already
   * committed, or claimed by the sweep).
   */
  async complete(
    manager: EntityManager,
    caseId: string,
    id: string,
    uploaderId: string,
    facts: UploadFacts,
    at: Date,
  ): Promise<string | null> {
    const result: [{ uploaded_by_name: string }[], number] = await manager.query(
      `UPDATE ${S}.case_attachment
          SET name = $4, size = $5, sha256 = $6, content_type = $7, committed_at = $8
        WHERE id = $1 AND case_id = $2 AND uploaded_by_id = $3
          AND committed_at IS NULL AND sweeping_at IS NULL
        RETURNING uploaded_by_name`,
      [id, caseId, uploaderId, facts.name, facts.size, facts.sha256, facts.contentType, at],
    );
    return result[0][0]?.uploaded_by_name ?? null;
  }

  /** A committed attachment of case `number` in `scope`; another tenant's is null, as a missing one. */
  async findCommitted(scope: CaseScope, number: string, id: string): Promise<FoundAttachment | null> {
    const params = new SqlParams();
    const tenant = scope.kind === 'tenant' ? `AND c.tenant_number = ${params.add(scope.tenant)}` : '';
    const rows: {
      id: string;
      storage_key: string;
      name: string;
      size: string;
      sha256: string;
      content_type: string;
      number: string;
      tenant_number: string;
    }[] = await this.dataSource.query(
      `SELECT a.id, a.storage_key, a.name, a.size, a.sha256, a.content_type, c.number, c.tenant_number
         FROM ${S}.case_attachment a JOIN ${S}.case_record c ON c.id = a.case_id
        WHERE c.number = ${params.add(number)} AND a.id = ${params.add(id)} ${tenant}
          AND a.tenant_number = c.tenant_number AND a.committed_at IS NOT NULL`,
      params.values,
    );
    const r = rows[0];
    return r
      ? {
          id: r.id,
          storageKey: r.storage_key,
          name: r.name,
          size: Number(r.size),
          sha256: r.sha256,
          contentType: r.content_type,
          caseNumber: r.number,
          tenantNumber: r.tenant_number,
        }
      : null;
  }

  /**
   * Claims up to `limit` pending uploads begun before `before` (and any a crashed sweep had claimed),
   * of one tenant when `tenant` is given.
   * SKIP LOCKED: replicas sweeping at once take different rows; a row a commit holds is left alone.
   */
  async claimOrphans(before: Date, now: Date, limit: number, tenant?: string): Promise<ClaimedOrphan[]> {
    const rows: [{ id: string; storage_key: string }[], number] = await this.dataSource.query(
      `UPDATE ${S}.case_attachment SET sweeping_at = $2
        WHERE id IN (SELECT id FROM ${S}.case_attachment
                      WHERE committed_at IS NULL AND (created_at < $1 OR sweeping_at IS NOT NULL)
                        AND ($4::text IS NULL OR tenant_number = $4)
                      ORDER BY created_at LIMIT $3 FOR UPDATE SKIP LOCKED)
        RETURNING id, storage_key`,
      [before, now, limit, tenant ?? null],
    );
    return rows[0].map((r) => ({ id: r.id, storageKey: r.storage_key }));
  }

  /** Removes a claimed orphan's row, once its bytes are gone. */
  async forget(id: string): Promise<void> {
    await this.dataSource.query(
      `DELETE FROM ${S}.case_attachment WHERE id = $1 AND committed_at IS NULL AND sweeping_at IS NOT NULL`,
      [id],
    );
  }
}
