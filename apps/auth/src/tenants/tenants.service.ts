import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { Clock } from '@app/config';
import {
  AddTenantMemberDto,
  AdminUserView,
  CreateTenantDto,
  CreateTenantUserDto,
  DomainError,
  ErrorCode,
  normalizeUserId,
  Principal,
  TENANT_NUMBER_PATTERN,
  TenantView,
  UserView,
} from '@app/contracts';
import { OutboxWriter } from '@app/database';
import { adminUserView } from './admin-user-view.util';
import { LockoutService } from '../lockout/lockout.service';
import { CallerVerifier } from '../users/caller-verifier';
import { isUniqueViolation } from '../users/unique-violation.util';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { Membership } from './membership.entity';
import { Tenant } from './tenant.entity';

/** Customers and their onboarding by an operator (CASE-1, AUTH-14, AUTH-18, AUTH-19). */
@Injectable()
export class TenantsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly callers: CallerVerifier,
    private readonly users: UsersService,
    private readonly lockout: LockoutService,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
  ) {}

  /** Operator only; the customer number is the primary key, so a duplicate is `409 tenant_exists`. */
  async create(principal: Principal | undefined, dto: CreateTenantDto): Promise<TenantView> {
    const operator = await this.callers.operator(principal);
    const tenant = await this.dataSource.transaction(async (manager) => {
      const row = manager.create(Tenant, {
        number: dto.number,
        name: dto.name.trim(),
        createdAt: this.clock.now(),
      });
      try {
        await manager.insert(Tenant, row);
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new DomainError(ErrorCode.TenantExists);
        }
        throw error;
      }
      await this.outbox.record(manager, {
        type: 'auth.tenant.created',
        actor: { userId: operator.id },
        target: { type: 'tenant', id: row.number },
        outcome: 'success',
        tenants: [row.number],
      });
      return row;
    });
    return toTenantView(tenant);
  }

  async list(principal: Principal | undefined): Promise<TenantView[]> {
    await this.callers.operator(principal);
    const tenants = await this.dataSource.manager.find(Tenant, { order: { number: 'ASC' } });
    return tenants.map(toTenantView);
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
    const user = await this.dataSource.transaction(async (manager) => {
      // FOR SHARE: the tenant cannot vanish or change between this check and the membership insert.
      const tenant: unknown[] = await manager.query(`SELECT 1 FROM auth.tenant WHERE number = $1 FOR SHARE`, [
        tenantNumber,
      ]);
      if (tenant.length === 0) {
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
      await manager.insert(Membership, {
        userId: created.id,
        tenantNumber,
        role: 'admin',
        createdAt: this.clock.now(),
      });
      await this.outbox.record(manager, {
        type: 'auth.user.created',
        actor: { userId: operator.id },
        target: { type: 'user', id: created.id },
        outcome: 'success',
        reasons: ['representative_admin'],
        tenants: [tenantNumber],
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
    const user = await this.dataSource.transaction(async (manager) => {
      // FOR SHARE: the tenant cannot vanish or change between this check and the membership insert.
      const tenant: unknown[] = await manager.query(`SELECT 1 FROM auth.tenant WHERE number = $1 FOR SHARE`, [
        tenantNumber,
      ]);
      const found =
        tenant.length > 0
          ? await manager.findOne(User, { where: { userIdKey: normalizeUserId(dto.userId) } })
          : null;
      if (!found) {
        throw new DomainError(ErrorCode.NotFound);
      }
      if (found.isOperator) {
        throw new DomainError(ErrorCode.Conflict, { reason: 'operator_account' });
      }
      try {
        await manager.insert(Membership, {
          userId: found.id,
          tenantNumber,
          role,
          notificationEmail: null,
          createdAt: this.clock.now(),
        });
      } catch (error) {
        // The primary key (user, tenant) decides, so two concurrent additions make one membership.
        if (isUniqueViolation(error)) {
          throw new DomainError(ErrorCode.Conflict, { reason: 'already_member' });
        }
        throw error;
      }
      await this.outbox.record(manager, {
        type: 'auth.member.added',
        actor: { userId: operator.id },
        target: { type: 'user', id: found.id },
        outcome: 'success',
        reasons: [role === 'admin' ? 'tenant_admin' : 'tenant_user'],
        // The tenant joined only: the user's other tenants are not told where else the user works
        // (AUDIT_EVENT_SCOPES), and the joined tenant does not learn the others' numbers.
        tenants: [tenantNumber],
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
