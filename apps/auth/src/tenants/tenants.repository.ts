import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { normalizeUserId } from '@app/contracts';
import { isUniqueViolation } from '../users/unique-violation.util';
import { User } from '../users/user.entity';
import { Membership } from './membership.entity';
import { Tenant } from './tenant.entity';

/** Tenants and memberships as the operators' onboarding writes them. */
@Injectable()
export class TenantsRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** `false` when the number is taken: the customer number is the primary key. */
  async insertTenant(manager: EntityManager, tenant: Tenant): Promise<boolean> {
    return insertedUnlessDuplicate(() => manager.insert(Tenant, tenant));
  }

  async list(): Promise<Tenant[]> {
    return this.dataSource.manager.find(Tenant, { order: { number: 'ASC' } });
  }

  /**
   * Whether the tenant exists, holding it FOR SHARE: it cannot vanish or change between this check
   * and a membership insert in the same transaction.
   */
  async holdTenant(manager: EntityManager, number: string): Promise<boolean> {
    const rows: unknown[] = await manager.query(`SELECT 1 FROM auth.tenant WHERE number = $1 FOR SHARE`, [
      number,
    ]);
    return rows.length > 0;
  }

  /** By the login ID in any case or width (AUTH-1). */
  async userByLoginId(manager: EntityManager, userId: string): Promise<User | null> {
    return manager.findOne(User, { where: { userIdKey: normalizeUserId(userId) } });
  }

  /** `false` when the user is a member already: the primary key (user, tenant) decides. */
  async insertMembership(
    manager: EntityManager,
    membership: Omit<Membership, 'user' | 'tenant'>,
  ): Promise<boolean> {
    return insertedUnlessDuplicate(() => manager.insert(Membership, membership));
  }
}

/** The failed statement aborts the transaction; the caller's DomainError rolls it back. */
async function insertedUnlessDuplicate(insert: () => Promise<unknown>): Promise<boolean> {
  try {
    await insert();
    return true;
  } catch (error) {
    if (isUniqueViolation(error)) {
      return false;
    }
    throw error;
  }
}
