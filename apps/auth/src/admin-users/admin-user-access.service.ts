import { Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { DomainError, ErrorCode, Principal } from '@app/contracts';
import { LockoutService } from '../lockout/lockout.service';
import { SessionsService } from '../sessions/sessions.service';
import { CallerVerifier } from '../users/caller-verifier';
import { AdminMemberChange } from './admin-member-change';
import { AdminMembersRepository } from './admin-members.repository';

/** A tenant admin lets a user of their active tenant in or keeps them out (AUTH-3, AUTH-4). */
@Injectable()
export class AdminUserAccess {
  constructor(
    private readonly callers: CallerVerifier,
    private readonly change: AdminMemberChange,
    private readonly members: AdminMembersRepository,
    private readonly lockout: LockoutService,
    private readonly sessions: SessionsService,
    private readonly clock: Clock,
  ) {}

  /**
   * AUTH-4: the user can no longer log in, and every session of theirs ends in the same
   * transaction, so their access tokens are refused at once (marked revoked after commit).
   */
  async disable(principal: Principal | undefined, id: string): Promise<void> {
    const caller = await this.callers.tenantAdmin(principal);
    if (id === caller.principal.id) {
      throw new DomainError(ErrorCode.Conflict, { reason: 'own_login' });
    }
    await this.change.run(caller, 'admin.user.disable', id, async (step) => {
      // A disabled login keeps the user out of every tenant, not only this one.
      await step.requireWholeAccount();
      if (!step.found.user.loginDisabled) {
        await this.members.updateUser(step.manager, id, { loginDisabled: true, updatedAt: this.clock.now() });
        await step.audit('auth.user.login_disabled', ['admin_disable']);
      }
      // Also when it was already disabled: nothing of theirs may stay open.
      await this.sessions.revokeAllForUser(id, 'login_disabled', step.manager);
    });
  }

  /** AUTH-4: users are never deleted; a disabled one can be let in again. */
  async enable(principal: Principal | undefined, id: string): Promise<void> {
    const caller = await this.callers.tenantAdmin(principal);
    await this.change.run(caller, 'admin.user.enable', id, async (step) => {
      await step.requireWholeAccount();
      if (step.found.user.loginDisabled) {
        await this.members.updateUser(step.manager, id, {
          loginDisabled: false,
          updatedAt: this.clock.now(),
        });
        await step.audit('auth.user.login_enabled', ['admin_enable']);
      }
    });
  }

  /**
   * AUTH-3: an admin unlocks a user of the active tenant at once, with a fresh count. The lock was
   * the account's; the unlock is this admin's action in this tenant.
   */
  async unlock(principal: Principal | undefined, id: string): Promise<void> {
    const caller = await this.callers.tenantAdmin(principal);
    await this.change.run(caller, 'admin.user.unlock', id, async (step) => {
      await this.lockout.unlock(step.found.user.userIdKey, step.manager);
      await step.audit('auth.account.unlocked', ['admin_unlock']);
    });
  }
}
