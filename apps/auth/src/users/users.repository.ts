import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { isUniqueViolation } from './unique-violation.util';
import { User } from './user.entity';

/**
 * Writes of accounts and the checks of a caller's role; reads of an account with its tenants are
 * LoginAccountRepository's.
 */
@Injectable()
export class UsersRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * Inserts the account and reads it back as stored; null when its normalised ID is taken (the
   * unique index decides). The failed statement aborts the caller's transaction; the caller's
   * DomainError rolls it back.
   */
  async insert(manager: EntityManager, row: Partial<User> & Pick<User, 'id'>): Promise<User | null> {
    try {
      await manager.insert(User, manager.create(User, row));
    } catch (error) {
      if (isUniqueViolation(error)) {
        return null;
      }
      throw error;
    }
    return manager.findOneOrFail(User, { where: { id: row.id } });
  }

  /** Whether `id` is an operator whose login is enabled. */
  async isActiveOperator(id: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM auth.app_user WHERE id = $1 AND is_operator AND NOT login_disabled`,
      [id],
    );
    return rows.length > 0;
  }

  /** Whether `id` is an admin of `tenant` whose login is enabled. */
  async isActiveAdminOf(id: string, tenant: string): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM auth.membership m JOIN auth.app_user u ON u.id = m.user_id
       WHERE m.user_id = $1 AND m.tenant_number = $2 AND m.role = 'admin' AND NOT u.login_disabled`,
      [id, tenant],
    );
    return rows.length > 0;
  }
}
