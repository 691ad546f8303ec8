import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AllTenants, TenantScope } from '../caller/case-caller';

const T = 'case_management.portal_link';

export interface PortalLink {
  name: string;
  url: string;
  serviceCode: string | null;
}

interface Row {
  name: string;
  url: string;
  service_code: string | null;
}

/** All I/O of a tenant's links to its services' other portals (CASE-11 home view). */
@Injectable()
export class PortalLinksRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** Operators: every link of a tenant, in order. */
  async ofTenant(_scope: AllTenants, tenant: string): Promise<PortalLink[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT name, url, service_code FROM ${T} WHERE tenant_number = $1 ORDER BY position`,
      [tenant],
    );
    return rows.map(toLink);
  }

  /** A customer's links: those of no service, and those of services the tenant still contracts. */
  async inScope(scope: TenantScope): Promise<PortalLink[]> {
    const rows: Row[] = await this.dataSource.query(
      `SELECT l.name, l.url, l.service_code FROM ${T} l
        WHERE l.tenant_number = $1
          AND (l.service_code IS NULL OR EXISTS (
            SELECT 1 FROM case_management.contract k WHERE k.tenant_number = $1 AND k.service_code = l.service_code))
        ORDER BY l.position`,
      [scope.tenant],
    );
    return rows.map(toLink);
  }

  /**
   * Replaces a tenant's links as a whole. A transaction-scoped advisory lock per tenant queues two
   * operators saving at once, so the list is one or the other, never a mix or a key violation.
   */
  async replace(
    manager: EntityManager,
    _scope: AllTenants,
    tenant: string,
    links: PortalLink[],
  ): Promise<void> {
    await manager.query(`SELECT pg_advisory_xact_lock(hashtext('mamori.portal_link'), hashtext($1))`, [
      tenant,
    ]);
    await manager.query(`DELETE FROM ${T} WHERE tenant_number = $1`, [tenant]);
    for (const [position, link] of links.entries()) {
      await manager.query(
        `INSERT INTO ${T} (tenant_number, position, name, url, service_code) VALUES ($1, $2, $3, $4, $5)`,
        [tenant, position, link.name, link.url, link.serviceCode],
      );
    }
  }
}

function toLink(r: Row): PortalLink {
  return { name: r.name, url: r.url, serviceCode: r.service_code };
}
