import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager, IsNull } from 'typeorm';
import { LoginFlow } from '../flows/login-flow.entity';
import { PushApprover } from './push-approver.entity';
import { PushRequest } from './push-request.entity';

/** A pending approval request as the approver app lists it, with the login it is about. */
export interface PendingRow {
  id: string;
  expires_at: Date;
  ip: string | null;
  user_agent: string | null;
  candidates: number[];
}

/** Every read and write of approver apps and approval requests (AUTH-13). */
@Injectable()
export class PushRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  async insertApprover(manager: EntityManager, approver: PushApprover): Promise<void> {
    await manager.getRepository(PushApprover).insert(approver);
  }

  /** Revokes the user's live approver `id`; false when the user has no such live approver. */
  async revokeApprover(manager: EntityManager, userId: string, id: string, now: Date): Promise<boolean> {
    const revoked = await manager
      .getRepository(PushApprover)
      .update({ id, userId, revokedAt: IsNull() }, { revokedAt: now });
    return revoked.affected === 1;
  }

  /** The user's approvers that are not revoked, oldest first. */
  liveApprovers(userId: string, manager: EntityManager = this.dataSource.manager): Promise<PushApprover[]> {
    return manager
      .getRepository(PushApprover)
      .find({ where: { userId, revokedAt: IsNull() }, order: { createdAt: 'ASC' } });
  }

  /** The live approver holding the token with this HMAC; null when none. */
  liveApproverByToken(manager: EntityManager, tokenHmac: string): Promise<PushApprover | null> {
    return manager.getRepository(PushApprover).findOne({ where: { tokenHmac, revokedAt: IsNull() } });
  }

  async noteApproverUse(manager: EntityManager, id: string, at: Date): Promise<void> {
    await manager.getRepository(PushApprover).update({ id }, { lastUsedAt: at });
  }

  /** Whether approver `id` of `userId` is still live. */
  isApproverLive(manager: EntityManager, id: string, userId: string): Promise<boolean> {
    return manager.getRepository(PushApprover).exists({ where: { id, userId, revokedAt: IsNull() } });
  }

  /** The user's pending requests whose login still waits, oldest first. */
  pendingRequests(manager: EntityManager, userId: string, now: Date): Promise<PendingRow[]> {
    return manager.query(
      `SELECT r.id, r.expires_at, r.candidates, f.ip, f.user_agent
         FROM auth.push_request r
         JOIN auth.login_flow f ON f.id = r.flow_id
        WHERE r.user_id = $1 AND r.status = 'pending' AND r.expires_at > $2
          AND f.status = 'pending' AND f.expires_at > $2
        ORDER BY r.created_at`,
      [userId, now],
    );
  }

  /** The user's request `id`, locked until the transaction ends; null for anyone else's. */
  lockRequest(manager: EntityManager, userId: string, id: string): Promise<PushRequest | null> {
    return manager.getRepository(PushRequest).findOne({
      where: { id, userId },
      lock: { mode: 'pessimistic_write' },
    });
  }

  /** The flow a request belongs to. */
  flowOf(manager: EntityManager, flowId: string): Promise<LoginFlow | null> {
    return manager.getRepository(LoginFlow).findOne({ where: { id: flowId } });
  }

  async updateRequest(
    manager: EntityManager,
    id: string,
    fields: Partial<Pick<PushRequest, 'status' | 'decidedAt' | 'decidedBy' | 'consumedAt'>>,
  ): Promise<void> {
    await manager.getRepository(PushRequest).update({ id }, fields);
  }

  /** Expires the flow's live pending requests now; their ids. */
  async supersedeRequests(manager: EntityManager, flowId: string, now: Date): Promise<string[]> {
    const superseded = await manager
      .createQueryBuilder()
      .update(PushRequest)
      .set({ expiresAt: now })
      .where('flow_id = :flowId AND status = :pending AND expires_at > :now', {
        flowId,
        pending: 'pending',
        now,
      })
      .returning(['id'])
      .execute();
    return (superseded.raw as { id: string }[]).map((r) => r.id);
  }

  async insertRequest(manager: EntityManager, request: PushRequest): Promise<void> {
    await manager.getRepository(PushRequest).insert(request);
  }

  /** The flow's newest request, locked until the transaction ends when `lock`. */
  latestRequest(
    flowId: string,
    manager: EntityManager = this.dataSource.manager,
    lock = false,
  ): Promise<PushRequest | null> {
    return manager.getRepository(PushRequest).findOne({
      where: { flowId },
      order: { createdAt: 'DESC' },
      ...(lock ? { lock: { mode: 'pessimistic_write' as const } } : {}),
    });
  }
}
