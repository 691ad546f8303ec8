import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { DomainError, ErrorCode, Principal } from '@app/contracts';

/** A verified tenant admin and the tenant they act on. */
export interface TenantAdminCaller {
  principal: Principal;
  tenant: string;
}

/**
 * Defence in depth behind the gateway's guards: the principal's role is checked here again, and
 * against the database, so a stale token of a user who is no longer an operator or admin — or a
 * NATS peer that skipped the gateway — gets nowhere.
 */
@Injectable()
export class CallerVerifier {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async operator(principal: Principal | undefined): Promise<Principal> {
    if (!principal) {
      throw new DomainError(ErrorCode.Unauthorized);
    }
    if (principal.role !== 'operator' || !isUuid(principal.id)) {
      throw new DomainError(ErrorCode.Forbidden);
    }
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM auth.app_user WHERE id = $1 AND is_operator AND NOT login_disabled`,
      [principal.id],
    );
    if (rows.length === 0) {
      throw new DomainError(ErrorCode.Forbidden);
    }
    return principal;
  }

  /** AUTH-21: a tenant admin acts on the active tenant only. */
  async tenantAdmin(principal: Principal | undefined): Promise<TenantAdminCaller> {
    if (!principal) {
      throw new DomainError(ErrorCode.Unauthorized);
    }
    if (principal.role !== 'admin' || !isUuid(principal.id)) {
      throw new DomainError(ErrorCode.Forbidden);
    }
    const tenant = principal.tenant;
    if (tenant === null) {
      throw new DomainError(ErrorCode.TenantSelectionRequired);
    }
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM auth.membership m JOIN auth.app_user u ON u.id = m.user_id
       WHERE m.user_id = $1 AND m.tenant_number = $2 AND m.role = 'admin' AND NOT u.login_disabled`,
      [principal.id, tenant],
    );
    if (rows.length === 0) {
      throw new DomainError(ErrorCode.Forbidden);
    }
    return { principal, tenant };
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids reach SQL only in uuid form: anything else would be a database error, not a 404. */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID.test(value);
}
