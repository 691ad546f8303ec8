import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { CaseFilterVisibility, CaseViewName } from '@app/contracts';
import { TenantScope } from '../caller/case-caller';

const T = 'case_management.case_filter';

export interface SavedFilter {
  id: string;
  ownerId: string;
  ownerName: string;
  name: string;
  visibility: CaseFilterVisibility;
  view: CaseViewName;
  q: string | null;
  filter: string | null;
  sort: string | null;
}

interface Row {
  id: string;
  owner_id: string;
  owner_name: string;
  name: string;
  visibility: CaseFilterVisibility;
  view: CaseViewName;
  q: string | null;
  filter: string | null;
  sort: string | null;
  created?: boolean;
}

const COLUMNS = 'id, owner_id, owner_name, name, visibility, view, q, filter, sort';

/** All I/O of saved filters (CASE-8); every statement names the caller's tenant. */
@Injectable()
export class SavedFiltersRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** The caller's private filters and the tenant's shared ones. */
  async visibleTo(scope: TenantScope, userId: string): Promise<SavedFilter[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT ${COLUMNS} FROM ${T}
        WHERE tenant_number = $1 AND (visibility = 'tenant' OR owner_id = $2)
        ORDER BY name, visibility, id`,
      [scope.tenant, userId],
    );
    return rows.map(toFilter);
  }

  /** One filter the caller can see, locked; another user's private filter is null, as a missing one. */
  async lockVisible(
    manager: EntityManager,
    scope: TenantScope,
    userId: string,
    id: string,
  ): Promise<SavedFilter | null> {
    const rows: Row[] = await manager.query(
      `SELECT ${COLUMNS} FROM ${T}
        WHERE id = $1 AND tenant_number = $2 AND (visibility = 'tenant' OR owner_id = $3) FOR UPDATE`,
      [id, scope.tenant, userId],
    );
    return rows.length > 0 ? toFilter(rows[0]) : null;
  }

  /**
   * Inserts, or overwrites the filter of the same name and visibility — only when `mayOverwrite`
   * holds for its owner (the creator, or a tenant admin for a shared one). Null: it exists and the
   * caller may not overwrite it. One statement, so two saves of one name cannot make two filters.
   */
  async upsert(
    scope: TenantScope,
    f: SavedFilter,
    at: Date,
    callerIsAdmin: boolean,
  ): Promise<{ filter: SavedFilter; created: boolean } | null> {
    const target =
      f.visibility === 'private'
        ? `(tenant_number, owner_id, name) WHERE visibility = 'private'`
        : `(tenant_number, name) WHERE visibility = 'tenant'`;
    const rows: Row[] = await this.dataSource.query(
      `INSERT INTO ${T} AS t (id, tenant_number, owner_id, owner_name, name, visibility, view, q, filter, sort, created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)
       ON CONFLICT ${target} DO UPDATE SET view = EXCLUDED.view, q = EXCLUDED.q, filter = EXCLUDED.filter,
         sort = EXCLUDED.sort, updated_at = EXCLUDED.updated_at
         WHERE t.owner_id = EXCLUDED.owner_id OR $12
       RETURNING ${COLUMNS}, (xmax = 0) AS created`,
      [
        f.id,
        scope.tenant,
        f.ownerId,
        f.ownerName,
        f.name,
        f.visibility,
        f.view,
        f.q,
        f.filter,
        f.sort,
        at,
        callerIsAdmin,
      ],
    );
    return rows.length > 0 ? { filter: toFilter(rows[0]), created: rows[0].created === true } : null;
  }

  async update(manager: EntityManager, scope: TenantScope, f: SavedFilter, at: Date): Promise<void> {
    await manager.query(
      `UPDATE ${T} SET name = $3, visibility = $4, view = $5, q = $6, filter = $7, sort = $8, updated_at = $9
        WHERE id = $1 AND tenant_number = $2`,
      [f.id, scope.tenant, f.name, f.visibility, f.view, f.q, f.filter, f.sort, at],
    );
  }

  async delete(manager: EntityManager, scope: TenantScope, id: string): Promise<void> {
    await manager.query(`DELETE FROM ${T} WHERE id = $1 AND tenant_number = $2`, [id, scope.tenant]);
  }
}

function toFilter(r: Row): SavedFilter {
  return {
    id: r.id,
    ownerId: r.owner_id,
    ownerName: r.owner_name,
    name: r.name,
    visibility: r.visibility,
    view: r.view,
    q: r.q,
    filter: r.filter,
    sort: r.sort,
  };
}
