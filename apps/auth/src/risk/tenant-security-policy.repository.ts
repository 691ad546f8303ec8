import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';

/** A tenant's login security policy as its row holds it (AUTH-5, AUTH-9). */
export interface PolicyRow {
  mfa_always: boolean;
  trusted_browser_ttl_seconds: number | null;
}

/** Reads and writes the policy columns of `auth.tenant`. */
@Injectable()
export class TenantSecurityPolicyRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** The tenant's policy, null for an unknown tenant; `forUpdate` holds the row until commit. */
  async find(
    tenant: string,
    forUpdate = false,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<PolicyRow | null> {
    const rows: PolicyRow[] = await manager.query(
      `SELECT mfa_always, trusted_browser_ttl_seconds FROM auth.tenant WHERE number = $1${forUpdate ? ' FOR UPDATE' : ''}`,
      [tenant],
    );
    return rows[0] ?? null;
  }

  async save(manager: EntityManager, tenant: string, row: PolicyRow): Promise<void> {
    await manager.query(
      `UPDATE auth.tenant SET mfa_always = $2, trusted_browser_ttl_seconds = $3 WHERE number = $1`,
      [tenant, row.mfa_always, row.trusted_browser_ttl_seconds],
    );
  }
}
