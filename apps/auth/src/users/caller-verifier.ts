import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, Principal } from '@app/contracts';
import { UsersRepository } from './users.repository';

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
  constructor(private readonly users: UsersRepository) {}

  async operator(principal: Principal | undefined): Promise<Principal> {
    if (!principal) {
      throw new DomainError(ErrorCode.Unauthorized);
    }
    if (principal.role !== 'operator' || !isUuid(principal.id)) {
      throw new DomainError(ErrorCode.Forbidden);
    }
    if (!(await this.users.isActiveOperator(principal.id))) {
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
    if (!(await this.users.isActiveAdminOf(principal.id, tenant))) {
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
