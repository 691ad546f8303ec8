import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, ErrorCode, normalizeUserId } from '@app/contracts';
import { InitialPassword } from '../login-flow/initial-password.entity';
import { MembershipFacts } from '../tenants/admin-user-view.util';
import { Membership } from '../tenants/membership.entity';
import { isUuid } from '../users/caller-verifier';
import { isUniqueViolation } from '../users/unique-violation.util';
import { User } from '../users/user.entity';

/** A user of the admin's tenant, read under lock for a change. */
export interface TenantMember {
  user: User;
  membership: MembershipFacts;
}

/**
 * Every read and write of the admin user pages: users of one tenant with their membership there.
 * Tenant scoping is in the signatures: there is no way to ask for users without a tenant.
 */
@Injectable()
export class AdminMembersRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async membersOf(tenant: string, manager: EntityManager = this.dataSource.manager): Promise<TenantMember[]> {
    const rows: Membership[] = await manager.find(Membership, { where: { tenantNumber: tenant } });
    if (rows.length === 0) {
      return [];
    }
    const users = await manager
      .createQueryBuilder(User, 'u')
      .where('u.id = ANY(:ids)', { ids: rows.map((r) => r.userId) })
      .orderBy('u.created_at')
      .addOrderBy('u.id')
      .getMany();
    const memberships = new Map(rows.map((r) => [r.userId, r]));
    return users.map((user) => ({ user, membership: memberships.get(user.id) as Membership }));
  }

  /**
   * The user `id` as a member of `tenant`, or `404 not_found` — for another tenant's user exactly as
   * for an unknown id or one that is not a uuid. With `lock`, the membership and the user rows are
   * held until the transaction ends (membership first, then user, in every path), so concurrent
   * changes to one user queue instead of overwriting each other.
   */
  async member(
    tenant: string,
    id: string,
    lock: boolean,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<TenantMember> {
    if (!isUuid(id)) {
      throw new DomainError(ErrorCode.NotFound);
    }
    const lockMode = lock ? { lock: { mode: 'pessimistic_write' as const } } : {};
    const membership = await manager.findOne(Membership, {
      where: { userId: id, tenantNumber: tenant },
      ...lockMode,
    });
    const user = membership ? await manager.findOne(User, { where: { id }, ...lockMode }) : null;
    if (!membership || !user) {
      throw new DomainError(ErrorCode.NotFound);
    }
    return { user, membership };
  }

  /**
   * Whether `userId` belongs to a tenant where `adminId` is not admin. Read with the user's row
   * locked: adding a membership takes a key-share lock on that row, so a membership added meanwhile
   * is either seen here or waits for the change to commit.
   */
  async hasTenantBeyond(manager: EntityManager, userId: string, adminId: string): Promise<boolean> {
    const foreign: unknown[] = await manager.query(
      `SELECT 1 FROM auth.membership m
        WHERE m.user_id = $1
          AND NOT EXISTS (SELECT 1 FROM auth.membership a
                           WHERE a.user_id = $2 AND a.tenant_number = m.tenant_number AND a.role = 'admin')
        LIMIT 1`,
      [userId, adminId],
    );
    return foreign.length > 0;
  }

  async updateUser(manager: EntityManager, id: string, changes: Partial<User>): Promise<void> {
    await manager.update(User, { id }, changes);
  }

  async updateMembership(
    manager: EntityManager,
    userId: string,
    tenant: string,
    changes: Partial<Pick<Membership, 'role' | 'notificationEmail'>>,
  ): Promise<void> {
    await manager.update(Membership, { userId, tenantNumber: tenant }, changes);
  }

  async insertMembership(
    manager: EntityManager,
    membership: Omit<Membership, 'user' | 'tenant'>,
  ): Promise<void> {
    await manager.insert(Membership, membership);
  }

  async insertInitialPassword(manager: EntityManager, row: InitialPassword): Promise<void> {
    await manager.insert(InitialPassword, row);
  }

  /** A new login ID; `false` when another account holds it (the unique index on the key decides). */
  async updateUserId(manager: EntityManager, id: string, userId: string, updatedAt: Date): Promise<boolean> {
    try {
      await manager.update(User, { id }, { userId, userIdKey: normalizeUserId(userId), updatedAt });
      return true;
    } catch (error) {
      // The failed statement aborts the transaction; the caller's DomainError rolls it back.
      if (isUniqueViolation(error)) {
        return false;
      }
      throw error;
    }
  }

  async user(manager: EntityManager, id: string): Promise<User> {
    return manager.findOneOrFail(User, { where: { id } });
  }
}
