import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { isUniqueViolation } from './unique-violation.util';
import { User } from './user.entity';

/** Writes of accounts; reads of an account with its tenants are LoginAccountRepository's. */
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
}
