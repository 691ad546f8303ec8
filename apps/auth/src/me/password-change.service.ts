import { Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { ChangePasswordDto, DomainError, ErrorCode, Principal } from '@app/contracts';
import { CredentialRefusal } from '../lockout/credential-refusal';
import { LockoutService } from '../lockout/lockout.service';
import { AuditFacts } from '../users/audit-facts';
import { LoginAccount } from '../users/login-account';
import { LoginAccountRepository } from '../users/login-account.repository';
import { StepUpService } from '../flows/step-up.service';
import { PasswordHasher } from '../password/password-hasher';
import { PasswordPolicy, PasswordRule } from '../password/password-policy';
import { SessionsService } from '../sessions/sessions.service';
import { MeRepository } from './me.repository';
import { requireCaller } from './profile.service';
import { UserNotices } from '../users/user-notices';

/** Marks the audit events of this entry point among the password checks of logins. */
const ENTRY_POINT = 'password_change';

/**
 * AUTH-17: the signed-in user changes their password — after a fresh second step (AUTH-12), with
 * the current password checked under the lockout like a login (AUTH-3: a wrong one counts, and a
 * locked account refuses even the right one), and the new one under the policy (AUTH-2). The
 * caller's session goes on; whatever hung on the old password is void: every other session of the
 * user, every trusted browser (the credential version moves on, AUTH-9) and every reset link.
 */
@Injectable()
export class PasswordChangeService {
  constructor(
    private readonly me: MeRepository,
    private readonly accounts: LoginAccountRepository,
    private readonly stepUp: StepUpService,
    private readonly lockout: LockoutService,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly sessions: SessionsService,
    private readonly facts: AuditFacts,
    private readonly notices: UserNotices,
    private readonly refusal: CredentialRefusal,
    private readonly clock: Clock,
  ) {}

  async change(principal: Principal | undefined, dto: ChangePasswordDto): Promise<void> {
    const caller = requireCaller(principal);
    await this.stepUp.require(caller, 'password.change');
    const account = await this.accounts.findById(caller.id);
    if (!account) {
      throw new DomainError(ErrorCode.SessionEnded);
    }
    const { user } = account;

    // The policy first: a new password that would be refused anyway costs no try of the lockout.
    const violations: PasswordRule[] = this.policy.violations(dto.newPassword, user);
    if (dto.confirmation !== undefined && dto.confirmation !== dto.newPassword) {
      violations.push('confirmation_matches');
    }
    if (violations.length > 0) {
      throw new DomainError(ErrorCode.PasswordPolicy, { violations });
    }

    // Reserved before the password is looked at, so concurrent guesses never get more than the
    // allowed tries through (AUTH-3); the try counts as a failure until it is settled as a success.
    const reservation = await this.lockout.reserveAttempt(user.userIdKey);
    if (!reservation.allowed) {
      return this.refusal.refuseLocked(account, reservation.retryAfterSeconds, {
        tenant: caller.tenant,
        reasons: [ENTRY_POINT],
      });
    }
    const currentHash = user.passwordHash;
    if (!(await this.hasher.verify(currentHash, dto.currentPassword)) || currentHash === null) {
      // Always throws (`invalid_credentials` or `account_locked`).
      return this.refusal.refuse(account.user.userIdKey, account, {
        type: 'auth.login.failed',
        reasons: [account.user.passwordHash ? 'wrong_password' : 'no_password', ENTRY_POINT],
        tenant: caller.tenant,
        lockReasons: [ENTRY_POINT],
      });
    }
    let changed: boolean;
    try {
      changed = await this.replace(account, caller, currentHash, dto.newPassword);
    } catch (error) {
      // The current password was right: a failure after it (the hash, the transaction) must not
      // leave the reserved try counted as a wrong one (AUTH-3), as its settlement rolled back.
      try {
        await this.lockout.recordSuccess(user.userIdKey);
      } catch {
        // The original error is the one to report; the provisional lock still lapses in time.
      }
      throw error;
    }
    if (!changed) {
      // The password typed as current is no longer the current one.
      throw new DomainError(ErrorCode.InvalidCredentials);
    }
    await this.notices.send(this.notices.notice(account, 'password-changed', {}));
  }

  /** Stores the new password over `currentHash` and voids what hung on the old one; false when it moved on. */
  private async replace(
    account: LoginAccount,
    caller: Principal,
    currentHash: string,
    newPassword: string,
  ): Promise<boolean> {
    const { user } = account;
    // Hashing takes tens of milliseconds: before the transaction, not while holding its locks.
    const newHash = await this.hasher.hash(newPassword);

    return this.me.transaction(async (manager) => {
      const now = this.clock.now();
      // The right current password starts the count again, whatever happens next (AUTH-3).
      await this.lockout.recordSuccess(user.userIdKey, manager);
      // Only over the hash that was checked: of two changes racing with the same current password,
      // the second finds it gone.
      if (!(await this.me.replacePassword(manager, user.id, currentHash, newHash, now))) {
        return false;
      }
      // A login that got past the old password must not finish with its code, and a link mailed
      // before the change would otherwise set a password over the new one.
      await this.me.voidPasswordDependents(manager, user.id, now);
      await this.sessions.revokeAllForUser(user.id, 'password_changed', manager, caller.sessionId);
      await this.facts.of(account, caller.tenant).record(manager, {
        type: 'auth.password.changed',
        target: { type: 'user', id: user.id },
        outcome: 'success',
      });
      return true;
    });
  }
}
