import { Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import {
  AddTenantMemberDto,
  AdminUserView,
  CreateTenantDto,
  CreateTenantUserDto,
  DomainError,
  ErrorCode,
  Principal,
  TENANT_NUMBER_PATTERN,
  TenantView,
  UserView,
} from '@app/contracts';
import { adminUserView } from './admin-user-view.util';
import { LockoutService } from '../lockout/lockout.service';
import { CallerVerifier } from '../users/caller-verifier';
import { AuditFacts } from '../users/audit-facts';
import { UsersService } from '../users/users.service';
import { Tenant } from './tenant.entity';
import { TenantsRepository } from './tenants.repository';

/** Customers and their onboarding by an operator (CASE-1, AUTH-14, AUTH-18, AUTH-19). */
@Injectable()
export class TenantsService {
  constructor(
    private readonly callers: CallerVerifier,
    private readonly tenants: TenantsRepository,
    private readonly users: UsersService,
    private readonly lockout: LockoutService,
    private readonly facts: AuditFacts,
    private readonly clock: Clock,
  ) {}

  /** Operator only; the customer number is the primary key, so a duplicate is `409 tenant_exists`. */
  async create(principal: Principal | undefined, dto: CreateTenantDto): Promise<TenantView> {
    const operator = await this.callers.operator(principal);
    const tenant = await this.tenants.transaction(async (manager) => {
      const row: Tenant = {
        number: dto.number,
        name: dto.name.trim(),
        createdAt: this.clock.now(),
      } as Tenant;
      if (!(await this.tenants.insertTenant(manager, row))) {
        throw new DomainError(ErrorCode.TenantExists);
      }
      await this.facts.ofOperator(operator, [row.number]).record(manager, {
        type: 'auth.tenant.created',
        target: { type: 'tenant', id: row.number },
        outcome: 'success',
      });
      return row;
    });
    return toTenantView(tenant);
  }

  async list(principal: Principal | undefined): Promise<TenantView[]> {
    await this.callers.operator(principal);
    return (await this.tenants.list()).map(toTenantView);
  }

  /**
   * The tenant's representative admin (operator only). No password yet: they set one through the
   * reset flow with the user ID from the onboarding notice (AUTH-14).
   */
  async createRepresentativeAdmin(
    principal: Principal | undefined,
    tenantNumber: string,
    dto: CreateTenantUserDto,
  ): Promise<UserView> {
    const operator = await this.callers.operator(principal);
    if (typeof tenantNumber !== 'string' || !TENANT_NUMBER_PATTERN.test(tenantNumber)) {
      throw new DomainError(ErrorCode.NotFound);
    }
    const user = await this.tenants.transaction(async (manager) => {
      if (!(await this.tenants.holdTenant(manager, tenantNumber))) {
        throw new DomainError(ErrorCode.NotFound);
      }
      const created = await this.users.insert(manager, {
        userId: dto.userId,
        email: dto.email,
        familyName: dto.familyName,
        givenName: dto.givenName,
        phone: dto.phone,
        language: dto.language,
        mfaRequired: dto.mfaRequired,
      });
      await this.tenants.insertMembership(manager, {
        userId: created.id,
        tenantNumber,
        role: 'admin',
        notificationEmail: null,
        createdAt: this.clock.now(),
      });
      await this.facts.ofOperator(operator, [tenantNumber]).record(manager, {
        type: 'auth.user.created',
        target: { type: 'user', id: created.id },
        outcome: 'success',
        reasons: ['representative_admin'],
      });
      return created;
    });
    return UsersService.view(user, 'admin', false);
  }

  /**
   * AUTH-18: an operator adds an existing user, known by their user ID (any case or width), to
   * another tenant with a role there; they then pick the tenant after login or switch to it. An
   * unknown tenant or user is `404 not_found`; a user already in the tenant, or an operator account
   * (operators belong to no tenant), is `409 conflict`.
   */
  async addMember(
    principal: Principal | undefined,
    tenantNumber: string,
    dto: AddTenantMemberDto,
  ): Promise<AdminUserView> {
    const operator = await this.callers.operator(principal);
    if (typeof tenantNumber !== 'string' || !TENANT_NUMBER_PATTERN.test(tenantNumber)) {
      throw new DomainError(ErrorCode.NotFound);
    }
    const role = dto.admin === true ? 'admin' : 'user';
    const user = await this.tenants.transaction(async (manager) => {
      const found = (await this.tenants.holdTenant(manager, tenantNumber))
        ? await this.tenants.userByLoginId(manager, dto.userId)
        : null;
      if (!found) {
        throw new DomainError(ErrorCode.NotFound);
      }
      if (found.isOperator) {
        throw new DomainError(ErrorCode.Conflict, { reason: 'operator_account' });
      }
      const added = await this.tenants.insertMembership(manager, {
        userId: found.id,
        tenantNumber,
        role,
        notificationEmail: null,
        createdAt: this.clock.now(),
      });
      if (!added) {
        // The primary key (user, tenant) decides, so two concurrent additions make one membership.
        throw new DomainError(ErrorCode.Conflict, { reason: 'already_member' });
      }
      // The tenant joined only: the user's other tenants are not told where else the user works
      // (AUDIT_EVENT_SCOPES), and the joined tenant does not learn the others' numbers.
      await this.facts.ofOperator(operator, [tenantNumber]).record(manager, {
        type: 'auth.member.added',
        target: { type: 'user', id: found.id },
        outcome: 'success',
        reasons: [role === 'admin' ? 'tenant_admin' : 'tenant_user'],
      });
      return found;
    });
    const locked = (await this.lockout.lockedFor(user.userIdKey)) !== null;
    return adminUserView(user, { role, notificationEmail: null }, locked);
  }
}

function toTenantView(tenant: Tenant): TenantView {
  return { number: tenant.number, name: tenant.name, createdAt: new Date(tenant.createdAt).toISOString() };
}
