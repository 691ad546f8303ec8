import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { CaseAttachmentView, CaseStatus, CaseViewName } from '@app/contracts';
import { CaseActivity } from '../activity/case-activity.entity';
import { CaseScope } from '../caller/case-caller';
import { SqlParams } from '../common/sql-params';
import { CaseRecord } from './case-record.entity';
import { CaseWatcher } from './case-watcher.entity';

const S = 'case_management';

/** The partial unique index of CASE-4 (see the migration). */
export const ONE_OPEN_INQUIRY_INDEX = 'case_one_open_inquiry';

export type NewCase = Omit<CaseRecord, 'number' | 'closedAt'>;

/** What each case list view (CASE-8) adds over alias `c`; the list and the home page's counts share it. */
export const CASE_VIEW_PREDICATES: Record<CaseViewName, string> = {
  all: 'TRUE',
  action_required: `c.status IN ('resolved', 'awaiting_customer')`,
  alerts: `c.category_code = 'alert'`,
};

/** A page of cases as the list query found them; `total` counted up to `cap + 1`. */
export interface CasePage {
  rows: CaseRecord[];
  counted: number;
}

/** A list query after parsing: SQL fragments over alias `c` with their parameters. */
export interface CaseListSql {
  where: string[];
  orderBy: string;
  params: SqlParams;
  limit: number;
  offset: number;
  /** Count at most this many rows (CASE-8: exact up to 10,000). */
  countCap: number;
}

interface CaseRow {
  id: string;
  number: string;
  tenant_number: string;
  contractor: string;
  service_code: string;
  category_code: string;
  subject: string;
  description: string;
  origin: CaseRecord['origin'];
  requester_id: string | null;
  requester_name: string | null;
  status: CaseStatus;
  counts_as_inquiry: boolean;
  created_at: Date;
  updated_at: Date;
  closed_at: Date | null;
}

const CASE_COLUMNS = `c.id, c.number, c.tenant_number, c.contractor, c.service_code, c.category_code, c.subject,
  c.description, c.origin, c.requester_id, c.requester_name, c.status, c.counts_as_inquiry, c.created_at,
  c.updated_at, c.closed_at`;

/**
 * All I/O of cases (CASE-2…CASE-8). Every read takes a CaseScope: a customer's TenantScope puts the
 * tenant predicate into the statement itself, so no query of a customer path can run without it,
 * and a case of another tenant is simply not found — as a case that does not exist.
 */
@Injectable()
export class CasesRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * Inserts the case with the next number of the sequence and returns the number. Fails with a
   * unique violation of ONE_OPEN_INQUIRY_INDEX when the tenant already has an open inquiry.
   */
  async insertCase(manager: EntityManager, c: NewCase): Promise<string> {
    const rows: { number: string }[] = await manager.query(
      `INSERT INTO ${S}.case_record (id, number, tenant_number, contractor, service_code, category_code, subject,
         description, origin, requester_id, requester_name, status, counts_as_inquiry, created_at, updated_at)
       VALUES ($1, 'CS' || lpad(nextval('${S}.case_number_seq')::text, 7, '0'), $2, $3, $4, $5, $6, $7, $8, $9,
         $10, $11, $12, $13, $13)
       RETURNING number`,
      [
        c.id,
        c.tenantNumber,
        c.contractor,
        c.serviceCode,
        c.categoryCode,
        c.subject,
        c.description,
        c.origin,
        c.requesterId,
        c.requesterName,
        c.status,
        c.countsAsInquiry,
        c.createdAt,
      ],
    );
    return rows[0].number;
  }

  /** The open inquiry that blocks a new one (CASE-4), or null. */
  async openInquiry(tenant: string, serviceCode: string): Promise<string | null> {
    const rows: { number: string }[] = await this.dataSource.query(
      `SELECT number FROM ${S}.case_record
        WHERE tenant_number = $1 AND service_code = $2 AND counts_as_inquiry AND status <> 'closed'`,
      [tenant, serviceCode],
    );
    return rows[0]?.number ?? null;
  }

  async insertWatchers(manager: EntityManager, watchers: CaseWatcher[]): Promise<void> {
    if (watchers.length > 0) {
      await manager.insert(CaseWatcher, watchers);
    }
  }

  async insertActivity(manager: EntityManager, ...entries: CaseActivity[]): Promise<void> {
    if (entries.length > 0) {
      // jsonb `data` is typed for what it is, which TypeORM's deep-partial type cannot follow.
      await manager.insert(CaseActivity, entries as QueryDeepPartialEntity<CaseActivity>[]);
    }
  }

  /** One case in scope, or null (another tenant's case is null too). */
  async find(scope: CaseScope, number: string): Promise<CaseRecord | null> {
    return this.findOn(this.dataSource.manager, scope, number, false);
  }

  /** As `find`, and holds the case's row lock until `manager`'s transaction ends. */
  async lock(manager: EntityManager, scope: CaseScope, number: string): Promise<CaseRecord | null> {
    return this.findOn(manager, scope, number, true);
  }

  async setStatus(manager: EntityManager, id: string, status: CaseStatus, at: Date): Promise<void> {
    await manager.query(
      `UPDATE ${S}.case_record SET status = $2, updated_at = $3,
         closed_at = CASE WHEN $2 = 'closed' THEN $3::timestamptz ELSE closed_at END
       WHERE id = $1`,
      [id, status, at],
    );
  }

  /**
   * Adds folded text to the case's searchable text (CASE-8) and recomputes its grams from the whole,
   * under the row lock the caller's transaction holds.
   */
  async addSearchText(
    manager: EntityManager,
    id: string,
    folded: string,
    grams: (all: string) => string[],
  ): Promise<void> {
    const rows: { search_text: string }[] = await manager.query(
      `SELECT search_text FROM ${S}.case_record WHERE id = $1`,
      [id],
    );
    const all = rows[0].search_text === '' ? folded : `${rows[0].search_text}\n${folded}`;
    await manager.query(`UPDATE ${S}.case_record SET search_text = $2, search_grams = $3 WHERE id = $1`, [
      id,
      all,
      grams(all),
    ]);
  }

  async touch(manager: EntityManager, id: string, at: Date): Promise<void> {
    await manager.query(`UPDATE ${S}.case_record SET updated_at = $2 WHERE id = $1`, [id, at]);
  }

  async watchersOf(caseIds: string[]): Promise<Map<string, CaseWatcher[]>> {
    const byCase = new Map<string, CaseWatcher[]>();
    if (caseIds.length === 0) {
      return byCase;
    }
    const rows: { case_id: string; user_id: string; name: string }[] = await this.dataSource.query(
      `SELECT case_id, user_id, name FROM ${S}.case_watcher WHERE case_id = ANY($1::uuid[]) ORDER BY name, user_id`,
      [caseIds],
    );
    for (const r of rows) {
      byCase.set(r.case_id, [
        ...(byCase.get(r.case_id) ?? []),
        { caseId: r.case_id, userId: r.user_id, name: r.name },
      ]);
    }
    return byCase;
  }

  async activityOf(c: CaseRecord): Promise<CaseActivity[]> {
    return this.dataSource.manager.find(CaseActivity, {
      where: { caseId: c.id, tenantNumber: c.tenantNumber },
      order: { at: 'ASC', seq: 'ASC' },
    });
  }

  /** The committed attachments of a case, oldest first (CASE-6; pending uploads are not shown). */
  async attachmentsOf(c: CaseRecord): Promise<CaseAttachmentView[]> {
    const rows: {
      id: string;
      name: string;
      size: string;
      sha256: string;
      content_type: string;
      committed_at: Date;
      uploaded_by_id: string;
      uploaded_by_name: string;
    }[] = await this.dataSource.query(
      `SELECT id, name, size, sha256, content_type, committed_at, uploaded_by_id, uploaded_by_name
         FROM ${S}.case_attachment
        WHERE case_id = $1 AND tenant_number = $2 AND committed_at IS NOT NULL
        ORDER BY committed_at, id`,
      [c.id, c.tenantNumber],
    );
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      size: Number(r.size),
      sha256: r.sha256,
      contentType: r.content_type,
      uploadedAt: new Date(r.committed_at).toISOString(),
      uploadedBy: { id: r.uploaded_by_id, name: r.uploaded_by_name },
    }));
  }

  /**
   * A page of cases in scope. The scope's predicate is added here, before any condition of the
   * query, so the page and the count only ever see rows of the caller's tenant.
   */
  async list(scope: CaseScope, query: CaseListSql): Promise<CasePage> {
    const params = query.params;
    const where = [scopePredicate(scope, params), ...query.where].join(' AND ');
    const cap = params.add(query.countCap + 1);
    // The count alone (an empty page) takes the parameters up to the cap, not the page's.
    const countValues = [...params.values];
    const limit = params.add(query.limit);
    const offset = params.add(query.offset);
    const rows: (CaseRow & { counted: string })[] = await this.dataSource.query(
      `WITH counted AS (
         SELECT count(*) AS n FROM (SELECT 1 FROM ${S}.case_record c WHERE ${where} LIMIT ${cap}) capped)
       SELECT ${CASE_COLUMNS}, (SELECT n FROM counted) AS counted
         FROM ${S}.case_record c WHERE ${where}
        ORDER BY ${query.orderBy} LIMIT ${limit} OFFSET ${offset}`,
      params.values,
    );
    if (rows.length > 0) {
      return { rows: rows.map(toRecord), counted: Number(rows[0].counted) };
    }
    // An empty page still needs the count (a page past the end).
    const count: { n: string }[] = await this.dataSource.query(
      `SELECT count(*) AS n FROM (SELECT 1 FROM ${S}.case_record c WHERE ${where} LIMIT ${cap}) capped`,
      countValues,
    );
    return { rows: [], counted: Number(count[0].n) };
  }

  /** How many cases in scope each view shows (the home page, CASE-11), in one pass. */
  async viewCounts(scope: CaseScope): Promise<Record<CaseViewName, number>> {
    const params = new SqlParams();
    const rows: Record<CaseViewName, string>[] = await this.dataSource.query(
      `SELECT count(*) FILTER (WHERE ${CASE_VIEW_PREDICATES.all}) AS "all",
              count(*) FILTER (WHERE ${CASE_VIEW_PREDICATES.action_required}) AS action_required,
              count(*) FILTER (WHERE ${CASE_VIEW_PREDICATES.alerts}) AS alerts
         FROM ${S}.case_record c WHERE ${scopePredicate(scope, params)}`,
      params.values,
    );
    return {
      all: Number(rows[0].all),
      action_required: Number(rows[0].action_required),
      alerts: Number(rows[0].alerts),
    };
  }

  private async findOn(
    manager: EntityManager,
    scope: CaseScope,
    number: string,
    forUpdate: boolean,
  ): Promise<CaseRecord | null> {
    const params = new SqlParams();
    const rows: CaseRow[] = await manager.query(
      `SELECT ${CASE_COLUMNS} FROM ${S}.case_record c
        WHERE ${scopePredicate(scope, params)} AND c.number = ${params.add(number)}
        ${forUpdate ? 'FOR UPDATE' : ''}`,
      params.values,
    );
    return rows.length > 0 ? toRecord(rows[0]) : null;
  }
}

/** The tenant predicate of a scope over alias `c`; operators' scope has none. */
function scopePredicate(scope: CaseScope, params: SqlParams): string {
  return scope.kind === 'tenant' ? `c.tenant_number = ${params.add(scope.tenant)}` : 'TRUE';
}

function toRecord(r: CaseRow): CaseRecord {
  return {
    id: r.id,
    number: r.number,
    tenantNumber: r.tenant_number,
    contractor: r.contractor,
    serviceCode: r.service_code,
    categoryCode: r.category_code,
    subject: r.subject,
    description: r.description,
    origin: r.origin,
    requesterId: r.requester_id,
    requesterName: r.requester_name,
    status: r.status,
    countsAsInquiry: r.counts_as_inquiry,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    closedAt: r.closed_at,
  };
}
