import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ProjectedStatement } from '@app/database';
import { SecurityCode } from './security-code.entity';

/** Every read and write of security codes (AUTH-6). */
@Injectable()
export class SecurityCodesRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** For a read that needs no transaction of its own. */
  get standalone(): EntityManager {
    return this.dataSource.manager;
  }

  /** The flow's newest code, locked until the transaction ends when `lock`; null when none. */
  latest(
    flowId: string,
    manager: EntityManager = this.dataSource.manager,
    lock = false,
  ): Promise<SecurityCode | null> {
    return manager.getRepository(SecurityCode).findOne({
      where: { flowId },
      order: { createdAt: 'DESC' },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }

  /** Voids every code of the flow still usable. */
  async voidLive(manager: EntityManager, flowId: string, now: Date): Promise<void> {
    await manager
      .createQueryBuilder()
      .update(SecurityCode)
      .set({ voidedAt: now })
      .where('flow_id = :flowId AND consumed_at IS NULL AND voided_at IS NULL', { flowId })
      .execute();
  }

  async insert(manager: EntityManager, code: SecurityCode): Promise<void> {
    await manager.getRepository(SecurityCode).insert(code);
  }

  /** A wrong entry: one try less, void when none is left; as a statement sent with the outcome's facts. */
  spendTryStatement(id: string, attemptsLeft: number, voidedAt: Date | null): ProjectedStatement {
    return {
      sql: `UPDATE auth.security_code SET attempts_left = $2, voided_at = $3 WHERE id = $1`,
      params: [id, attemptsLeft, voidedAt],
    };
  }

  /** The right code, used up; as a statement sent with the outcome's facts. */
  consumeStatement(id: string, now: Date): ProjectedStatement {
    return { sql: `UPDATE auth.security_code SET consumed_at = $2 WHERE id = $1`, params: [id, now] };
  }

  async update(
    manager: EntityManager,
    id: string,
    fields: Partial<Pick<SecurityCode, 'attemptsLeft' | 'voidedAt' | 'consumedAt'>>,
  ): Promise<void> {
    await manager.getRepository(SecurityCode).update({ id }, fields);
  }
}
