import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AllTenants, TenantScope } from '../caller/case-caller';
import { SqlParams } from '../common/sql-params';
import { visibleBasePredicate } from '../knowledge/knowledge.repository';

const S = 'case_management';

export interface Announcement {
  id: string;
  title: string;
  /** Sanitised HTML. */
  body: string;
  articleNumber: string | null;
  banner: boolean;
  from: Date;
  to: Date;
  audience: { all: boolean; tenants: string[]; services: string[] };
  createdBy: string;
  createdAt: Date;
  updatedAt: Date;
  /** When its e-mail to the audience was queued (CASE-11); null when it was not mailed. */
  mailedAt: Date | null;
}

/** An announcement as one reader sees it. */
export interface ReaderAnnouncement {
  id: string;
  title: string;
  body: string;
  /** The linked article when the reader's tenant sees it, else null. */
  articleNumber: string | null;
  banner: boolean;
  from: Date;
  to: Date;
  dismissed: boolean;
}

interface Row {
  id: string;
  title: string;
  body: string;
  article_number: string | null;
  banner: boolean;
  starts_at: Date;
  ends_at: Date;
  audience_all: boolean;
  audience_tenants: string[];
  audience_services: string[];
  created_by: string;
  created_at: Date;
  updated_at: Date;
  mailed_at: Date | null;
}

const COLUMNS = `id, title, body, article_number, banner, starts_at, ends_at, audience_all, audience_tenants,
  audience_services, created_by, created_at, updated_at`;
/** What a read answers: the written columns and the mail mark, set apart from the content. */
const READ_COLUMNS = `${COLUMNS}, mailed_at`;

/**
 * The announcements meant for a tenant and shown at `now`, over alias `an` (CASE-11): the audience is
 * everyone, names the tenant, or names a service the tenant contracts (looked up in the statement);
 * the window includes its start and excludes its end.
 */
function forReaderPredicate(scope: TenantScope, now: Date, params: SqlParams): string {
  const tenant = params.add(scope.tenant);
  const at = params.add(now);
  return `(an.audience_all OR ${tenant} = ANY(an.audience_tenants)
      OR an.audience_services && ARRAY(SELECT ac.service_code FROM ${S}.contract ac WHERE ac.tenant_number = ${tenant}))
    AND an.starts_at <= ${at} AND ${at} < an.ends_at`;
}

/**
 * All I/O of announcements and their dismissals (CASE-11). Readers' queries take a TenantScope; the
 * operators' take AllTenants, which only operatorOf makes.
 */
@Injectable()
export class AnnouncementsRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async insert(manager: EntityManager, _scope: AllTenants, a: Announcement): Promise<void> {
    await manager.query(
      `INSERT INTO ${S}.announcement (${COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      values(a),
    );
  }

  /** Operators: replaces what they edit, under the row lock; false when there is no such announcement. */
  async update(
    manager: EntityManager,
    _scope: AllTenants,
    a: Omit<Announcement, 'createdBy' | 'createdAt' | 'mailedAt'>,
  ): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      // In a CTE, so the driver answers the returned rows as a SELECT's.
      `WITH changed AS (
         UPDATE ${S}.announcement SET title = $2, body = $3, article_number = $4, banner = $5, starts_at = $6,
           ends_at = $7, audience_all = $8, audience_tenants = $9, audience_services = $10, updated_at = $11
         WHERE id = $1 RETURNING id)
       SELECT id FROM changed`,
      [
        a.id,
        a.title,
        a.body,
        a.articleNumber,
        a.banner,
        a.from,
        a.to,
        a.audience.all,
        a.audience.tenants,
        a.audience.services,
        a.updatedAt,
      ],
    );
    return rows.length > 0;
  }

  async delete(manager: EntityManager, _scope: AllTenants, id: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `WITH gone AS (DELETE FROM ${S}.announcement WHERE id = $1 RETURNING id) SELECT id FROM gone`,
      [id],
    );
    return rows.length > 0;
  }

  /** Operators: one announcement, or null. */
  async find(_scope: AllTenants, id: string): Promise<Announcement | null> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${READ_COLUMNS} FROM ${S}.announcement WHERE id = $1`,
      [id],
    );
    return rows.length > 0 ? toAnnouncement(rows[0]) : null;
  }

  /** Operators: every announcement, the latest window first. */
  async all(_scope: AllTenants): Promise<Announcement[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${READ_COLUMNS} FROM ${S}.announcement ORDER BY starts_at DESC, created_at DESC, id`,
    );
    return rows.map(toAnnouncement);
  }

  /**
   * Operators: marks the announcement mailed at `at`, in `manager`'s transaction; false when it was
   * mailed before (or is gone), so its e-mail is queued once however often an operator asks.
   */
  async markMailed(manager: EntityManager, _scope: AllTenants, id: string, at: Date): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `WITH marked AS (
         UPDATE ${S}.announcement SET mailed_at = $2 WHERE id = $1 AND mailed_at IS NULL RETURNING id)
       SELECT id FROM marked`,
      [id, at],
    );
    return rows.length > 0;
  }

  /**
   * Takes the lease of the announcement's mailing at `now`, if it was asked for, is not finished, and
   * no other replica holds a lease younger than `leaseMs`. Answers the user id to continue after
   * (null: from the start), or undefined when the mailing is not this replica's to do.
   */
  async claimMail(
    _scope: AllTenants,
    id: string,
    now: Date,
    leaseMs: number,
  ): Promise<{ cursor: string | null } | undefined> {
    const rows: { mail_cursor: string | null }[] = await this.dataSource.query(
      `WITH claimed AS (
         UPDATE ${S}.announcement SET mail_claimed_at = $2
          WHERE id = $1 AND mailed_at IS NOT NULL AND mail_done_at IS NULL
            AND (mail_claimed_at IS NULL OR mail_claimed_at < $3)
          RETURNING mail_cursor)
       SELECT mail_cursor FROM claimed`,
      [id, now, new Date(now.getTime() - leaseMs)],
    );
    return rows.length > 0 ? { cursor: rows[0].mail_cursor } : undefined;
  }

  /**
   * Records that the mailing queued everyone up to `cursor` and renews the lease; false when the
   * lease taken at `claimedAt` is no longer this replica's (another resumed it), which stops it.
   */
  async advanceMail(id: string, claimedAt: Date, cursor: string, now: Date): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `WITH moved AS (
         UPDATE ${S}.announcement SET mail_cursor = $3, mail_claimed_at = $4
          WHERE id = $1 AND mail_claimed_at = $2 AND mail_done_at IS NULL RETURNING id)
       SELECT id FROM moved`,
      [id, claimedAt, cursor, now],
    );
    return rows.length > 0;
  }

  /** Ends the mailing held under the lease taken at `claimedAt`, in `manager`'s transaction. */
  async finishMail(manager: EntityManager, id: string, claimedAt: Date, now: Date): Promise<boolean> {
    const rows: unknown[] = await manager.query(
      `WITH done AS (
         UPDATE ${S}.announcement SET mail_done_at = $3
          WHERE id = $1 AND mail_claimed_at = $2 AND mail_done_at IS NULL RETURNING id)
       SELECT id FROM done`,
      [id, claimedAt, now],
    );
    return rows.length > 0;
  }

  /** Operators: announcements whose mailing was asked for, is unfinished and whose lease has lapsed. */
  async unfinishedMails(_scope: AllTenants, now: Date, leaseMs: number): Promise<Announcement[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${READ_COLUMNS} FROM ${S}.announcement
        WHERE mailed_at IS NOT NULL AND mail_done_at IS NULL
          AND (mail_claimed_at IS NULL OR mail_claimed_at < $1)
        ORDER BY mailed_at LIMIT 100`,
      [new Date(now.getTime() - leaseMs)],
    );
    return rows.map(toAnnouncement);
  }

  /** Operators: the tenants contracting any of `services` (an audience by service, CASE-11). */
  async tenantsContracting(_scope: AllTenants, services: string[]): Promise<string[]> {
    if (services.length === 0) {
      return [];
    }
    const rows: { tenant_number: string }[] = await this.dataSource.query(
      `SELECT DISTINCT tenant_number FROM ${S}.contract WHERE service_code = ANY($1::text[]) ORDER BY 1`,
      [services],
    );
    return rows.map((r) => r.tenant_number);
  }

  /** What a user of the scope's tenant sees at `now`, the latest first, with their dismissals. */
  async forReader(scope: TenantScope, userId: string, now: Date): Promise<ReaderAnnouncement[]> {
    const params = new SqlParams();
    const where = forReaderPredicate(scope, now, params);
    const user = params.add(userId);
    const rows: {
      id: string;
      title: string;
      body: string;
      article_number: string | null;
      banner: boolean;
      starts_at: Date;
      ends_at: Date;
      dismissed: boolean;
    }[] = await this.dataSource.query(
      `SELECT an.id, an.title, an.body, art.number AS article_number, an.banner, an.starts_at, an.ends_at,
              EXISTS (SELECT 1 FROM ${S}.announcement_dismissal d
                       WHERE d.announcement_id = an.id AND d.user_id = ${user}) AS dismissed
         FROM ${S}.announcement an
         LEFT JOIN LATERAL (
           SELECT a.number FROM ${S}.knowledge_article a JOIN ${S}.knowledge_base b ON b.id = a.base_id
            WHERE a.number = an.article_number AND ${visibleBasePredicate(scope, params)}) art ON TRUE
        WHERE ${where}
        ORDER BY an.starts_at DESC, an.created_at DESC, an.id`,
      params.values,
    );
    return rows.map((r) => ({
      id: r.id,
      title: r.title,
      body: r.body,
      articleNumber: r.article_number,
      banner: r.banner,
      from: r.starts_at,
      to: r.ends_at,
      dismissed: r.dismissed,
    }));
  }

  /**
   * Records that the user closed the announcement's banner, for good, in one statement: only an
   * announcement the user sees at `now` can be dismissed, and a second dismissal changes nothing.
   */
  async dismiss(
    manager: EntityManager,
    scope: TenantScope,
    userId: string,
    id: string,
    now: Date,
  ): Promise<'dismissed' | 'already' | 'not_found'> {
    const params = new SqlParams();
    const target = params.add(id);
    const where = forReaderPredicate(scope, now, params);
    const rows: { found: string; inserted: string }[] = await manager.query(
      `WITH target AS (SELECT an.id FROM ${S}.announcement an WHERE an.id = ${target} AND ${where}),
            added AS (
              INSERT INTO ${S}.announcement_dismissal (announcement_id, user_id, at)
              SELECT id, ${params.add(userId)}, ${params.add(now)} FROM target
              ON CONFLICT DO NOTHING RETURNING 1)
       SELECT (SELECT count(*) FROM target) AS found, (SELECT count(*) FROM added) AS inserted`,
      params.values,
    );
    if (Number(rows[0].found) === 0) {
      return 'not_found';
    }
    return Number(rows[0].inserted) > 0 ? 'dismissed' : 'already';
  }
}

function values(a: Announcement): unknown[] {
  return [
    a.id,
    a.title,
    a.body,
    a.articleNumber,
    a.banner,
    a.from,
    a.to,
    a.audience.all,
    a.audience.tenants,
    a.audience.services,
    a.createdBy,
    a.createdAt,
    a.updatedAt,
  ];
}

function toAnnouncement(r: Row): Announcement {
  return {
    id: r.id,
    title: r.title,
    body: r.body,
    articleNumber: r.article_number,
    banner: r.banner,
    from: r.starts_at,
    to: r.ends_at,
    audience: { all: r.audience_all, tenants: r.audience_tenants, services: r.audience_services },
    createdBy: r.created_by,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    mailedAt: r.mailed_at,
  };
}
