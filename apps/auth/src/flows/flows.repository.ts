import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { ProjectedStatement } from '@app/database';
import { Session } from '../sessions/session.entity';
import { LoginFlow } from './login-flow.entity';

/** Every read and write of login and step-up flows, and the session a step-up is decided on. */
@Injectable()
export class FlowsRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async insert(manager: EntityManager, flow: LoginFlow): Promise<void> {
    await manager.getRepository(LoginFlow).insert(flow);
  }

  findById(id: string): Promise<LoginFlow | null> {
    return this.dataSource.getRepository(LoginFlow).findOne({ where: { id } });
  }

  /** The flow, its row locked until `manager`'s transaction ends; null when unknown. */
  lockById(manager: EntityManager, id: string): Promise<LoginFlow | null> {
    return manager.getRepository(LoginFlow).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  /** Keeps what the second step earned on a flow still pending, and moves it on to `stage`. */
  async update(
    manager: EntityManager,
    id: string,
    fields: Pick<LoginFlow, 'stage' | 'secondFactorAt' | 'secondFactorMethod' | 'trustBrowserName'>,
  ): Promise<void> {
    await manager.getRepository(LoginFlow).update({ id, status: 'pending' }, fields);
  }

  /**
   * Completes the flow if it is still pending, as a statement to send with the outcome's facts, for a
   * flow whose row the caller holds.
   */
  completeStatement(id: string, now: Date): ProjectedStatement {
    return {
      sql: `UPDATE auth.login_flow SET status = 'completed', completed_at = $2 WHERE id = $1 AND status = 'pending'`,
      params: [id, now],
    };
  }

  /** `update` as a statement to send with the outcome's facts. */
  updateStatement(
    id: string,
    fields: Pick<LoginFlow, 'stage' | 'secondFactorAt' | 'secondFactorMethod' | 'trustBrowserName'>,
  ): ProjectedStatement {
    return {
      sql: `UPDATE auth.login_flow SET stage = $2, second_factor_at = $3, second_factor_method = $4,
              trust_browser_name = $5
            WHERE id = $1 AND status = 'pending'`,
      params: [id, fields.stage, fields.secondFactorAt, fields.secondFactorMethod, fields.trustBrowserName],
    };
  }

  /** The user's session `id`; null when it is not theirs or does not exist. */
  sessionOf(userId: string, id: string): Promise<Session | null> {
    return this.dataSource.getRepository(Session).findOne({ where: { id, userId } });
  }
}
