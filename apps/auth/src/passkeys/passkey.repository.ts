import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Passkey } from './passkey.entity';

/**
 * Every read and write of passkeys. Changes by id are always scoped to the owner in the statement
 * itself, so another user's passkey id finds nothing, exactly like an id that does not exist.
 */
@Injectable()
export class PasskeyRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** A user's passkeys, oldest first. */
  listFor(userId: string, manager: EntityManager = this.dataSource.manager): Promise<Passkey[]> {
    return manager.getRepository(Passkey).find({ where: { userId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  findByCredentialId(credentialId: string): Promise<Passkey | null> {
    return this.dataSource.getRepository(Passkey).findOne({ where: { credentialId } });
  }

  async insert(manager: EntityManager, passkey: Passkey): Promise<void> {
    await manager.getRepository(Passkey).insert(passkey);
  }

  /** The renamed passkey, or null when `userId` has none with this id. */
  async rename(manager: EntityManager, userId: string, id: string, name: string): Promise<Passkey | null> {
    const result = await manager
      .createQueryBuilder()
      .update(Passkey)
      .set({ name })
      .where('id = :id AND user_id = :userId', { id, userId })
      .execute();
    return result.affected ? manager.getRepository(Passkey).findOne({ where: { id, userId } }) : null;
  }

  /** False when `userId` has no passkey with this id. */
  async remove(manager: EntityManager, userId: string, id: string): Promise<boolean> {
    const result = await manager.getRepository(Passkey).delete({ id, userId });
    return (result.affected ?? 0) > 0;
  }

  /**
   * Records a verified use with the authenticator's new signature counter, only if the counter went
   * up (or the authenticator keeps none: 0 and 0). Checked in the UPDATE itself, so of two answers
   * carrying the same counter (a cloned authenticator, or a replay through two flows) only one passes
   * even when they race. False: refused.
   */
  async recordUse(manager: EntityManager, id: string, newCounter: number, now: Date): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(Passkey)
      .set({ counter: newCounter, lastUsedAt: now })
      .where('id = :id AND (counter < :newCounter OR (counter = 0 AND :newCounter = 0))', { id, newCounter })
      .execute();
    return (result.affected ?? 0) > 0;
  }
}
