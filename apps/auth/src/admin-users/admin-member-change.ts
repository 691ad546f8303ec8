import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { AdminUserView, AuditEventType, DomainError, ErrorCode } from '@app/contracts';
import { StepUpService } from '../flows/step-up.service';
import { LockoutService } from '../lockout/lockout.service';
import { adminUserView } from '../tenants/admin-user-view.util';
import { AuditFacts } from '../users/audit-facts';
import { TenantAdminCaller } from '../users/caller-verifier';
import { AdminMembersRepository, TenantMember } from './admin-members.repository';

/** What a change to one member sees: its transaction, the member read under lock, and its facts. */
export interface MemberStep {
  manager: EntityManager;
  /** The member as it was when locked, before this change. */
  found: TenantMember;
  /** Records `type` about this member as the admin's action in their tenant. */
  audit(type: AuditEventType, reasons: string[]): Promise<void>;
  /**
   * An account-wide change is this admin's only when every tenant of the user is one where the
   * caller is admin; otherwise `409 account_shared` and an operator does it.
   */
  requireWholeAccount(): Promise<void>;
  /** The member as it is now, inside the transaction (for the view answered). */
  reread(): Promise<TenantMember>;
}

/**
 * The sequence every admin change of a user follows (AUTH-12, AUTH-21): a fresh second step, one
 * transaction, the member's rows locked (membership first, then user, in every path, so concurrent
 * changes to one user queue instead of overwriting each other), the change, and its audit facts with
 * ids and reason codes only.
 */
@Injectable()
export class AdminMemberChange {
  constructor(
    private readonly stepUp: StepUpService,
    private readonly members: AdminMembersRepository,
    private readonly facts: AuditFacts,
    private readonly lockout: LockoutService,
  ) {}

  async run<T>(
    caller: TenantAdminCaller,
    action: string,
    id: string,
    change: (step: MemberStep) => Promise<T>,
  ): Promise<T> {
    await this.stepUp.require(caller.principal, action);
    const facts = this.facts.ofAdmin(caller);
    return this.members.transaction(async (manager) => {
      const found = await this.members.member(caller.tenant, id, true, manager);
      return change({
        manager,
        found,
        audit: (type, reasons) =>
          facts.record(manager, { type, target: { type: 'user', id }, outcome: 'success', reasons }),
        requireWholeAccount: async () => {
          // Called with the user's row locked: see AdminMembersRepository.hasTenantBeyond.
          if (await this.members.hasTenantBeyond(manager, id, caller.principal.id)) {
            throw new DomainError(ErrorCode.AccountShared);
          }
        },
        reread: () => this.members.member(caller.tenant, id, false, manager),
      });
    });
  }

  /** The admin's view of a member, with the lock state of its login ID (AUTH-3). */
  async view(member: TenantMember): Promise<AdminUserView> {
    const locked = (await this.lockout.lockedFor(member.user.userIdKey)) !== null;
    return adminUserView(member.user, member.membership, locked);
  }
}
