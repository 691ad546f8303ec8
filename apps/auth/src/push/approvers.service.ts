import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@app/config';
import { ApproverRegisteredView, ApproverView, DomainError, ErrorCode, Principal } from '@app/contracts';
import { SecretHasher } from '../crypto/secret-hasher';
import { PushRepository } from './push.repository';
import { AuditFacts } from '../users/audit-facts';
import { LoginAccountRepository } from '../users/login-account.repository';
import { StepUpService } from '../flows/step-up.service';
import { PushApprover } from './push-approver.entity';

/** HMAC context of approver tokens: the same string is worth nothing as another kind of token. */
const TOKEN_CONTEXT = 'push-approver';

/**
 * The phone apps a user registered as approvers (AUTH-13). Registering and removing one are MFA
 * changes, so both need step-up (AUTH-12). An app authenticates with its token: the HMAC of what it
 * sends is looked up by equality, so nothing about a wrong token leaks through timing.
 */
@Injectable()
export class ApproversService {
  constructor(
    private readonly push: PushRepository,
    private readonly accounts: LoginAccountRepository,
    private readonly stepUp: StepUpService,
    private readonly hasher: SecretHasher,
    private readonly facts: AuditFacts,
    private readonly clock: Clock,
  ) {}

  async register(principal: Principal | undefined, name: string): Promise<ApproverRegisteredView> {
    await this.stepUp.require(principal, 'push.approver.register');
    const account = await this.accounts.ofCaller(principal);
    const token = this.hasher.randomToken(32);
    const approver: PushApprover = {
      id: randomUUID(),
      userId: account.user.id,
      name: name.trim(),
      tokenHmac: this.hasher.hmac(token, TOKEN_CONTEXT),
      createdAt: this.clock.now(),
      lastUsedAt: null,
      revokedAt: null,
    };
    await this.push.transaction(async (manager) => {
      await this.push.insertApprover(manager, approver);
      await this.facts.of(account, principal?.tenant).record(manager, {
        type: 'auth.push.approver_registered',
        target: { type: 'push_approver', id: approver.id },
        outcome: 'success',
      });
    });
    // Shown once; only its HMAC is kept.
    return { approverId: approver.id, approverToken: token };
  }

  async list(principal: Principal | undefined): Promise<ApproverView[]> {
    const account = await this.accounts.ofCaller(principal);
    const approvers = await this.push.liveApprovers(account.user.id);
    return approvers.map((a) => ({
      id: a.id,
      name: a.name,
      createdAt: a.createdAt.toISOString(),
      lastUsedAt: a.lastUsedAt?.toISOString() ?? null,
    }));
  }

  /** Revokes one approver of the caller (step-up); another user's id is `404` like an unknown one. */
  async remove(principal: Principal | undefined, id: string): Promise<void> {
    await this.stepUp.require(principal, 'push.approver.remove');
    const account = await this.accounts.ofCaller(principal);
    await this.push.transaction(async (manager) => {
      if (!(await this.push.revokeApprover(manager, account.user.id, id, this.clock.now()))) {
        throw new DomainError(ErrorCode.NotFound);
      }
      await this.facts.of(account, principal?.tenant).record(manager, {
        type: 'auth.push.approver_removed',
        target: { type: 'push_approver', id },
        outcome: 'success',
      });
    });
  }

  /** The user's approvers that are not revoked, oldest first. */
  live(manager: EntityManager, userId: string): Promise<PushApprover[]> {
    return this.push.liveApprovers(userId, manager);
  }

  /**
   * The live approver whose token this is (and notes its use), else `401 unauthorized` — the same
   * answer for an unknown, malformed or revoked token.
   */
  async authenticate(manager: EntityManager, token: string): Promise<PushApprover> {
    const approver = token
      ? await this.push.liveApproverByToken(manager, this.hasher.hmac(token, TOKEN_CONTEXT))
      : null;
    if (!approver) {
      throw new DomainError(ErrorCode.Unauthorized);
    }
    approver.lastUsedAt = this.clock.now();
    await this.push.noteApproverUse(manager, approver.id, approver.lastUsedAt);
    return approver;
  }
}
