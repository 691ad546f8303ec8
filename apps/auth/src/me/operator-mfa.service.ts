import { Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import {
  DomainError,
  ErrorCode,
  MfaResetRequest,
  PhoneLineCancelledRequest,
  Principal,
} from '@app/contracts';
import { LoginAccount, tenantNumbers } from '../users/login-account';
import { AuditFacts } from '../users/audit-facts';
import { StepUpService } from '../flows/step-up.service';
import { SessionsService } from '../sessions/sessions.service';
import { CallerVerifier } from '../users/caller-verifier';
import { UsersService } from '../users/users.service';
import { identityMismatches } from './identity-check.util';
import { MeRepository } from './me.repository';
import { SmsSwitchOff } from './sms-switch-off.service';
import { UserNotices } from '../users/user-notices';

/**
 * Operators' changes to a user's MFA (AUTH-19): the reset after an identity check, and the carrier's
 * notice that a phone line ended. Both are admin actions on a user, so both need the operator's
 * fresh second step (AUTH-12).
 */
@Injectable()
export class OperatorMfaService {
  constructor(
    private readonly resets: MeRepository,
    private readonly callers: CallerVerifier,
    private readonly stepUp: StepUpService,
    private readonly users: UsersService,
    private readonly smsSwitchOff: SmsSwitchOff,
    private readonly notices: UserNotices,
    private readonly facts: AuditFacts,
    private readonly sessions: SessionsService,
    private readonly clock: Clock,
  ) {}

  /**
   * Resets the user's MFA when every identity field given matches the account; otherwise
   * `422 identity_check_failed` and nothing changes. The reset removes the authenticator app and
   * the passkeys, revokes the approver apps and voids every trusted browser (the credential version
   * moves on, AUTH-9); SMS codes come back on only when the operator has confirmed the phone with the caller
   * (a line that was cancelled may belong to someone else by now). Every session of the user ends
   * with it: one may be the impostor's, signed in with the factors just removed. Audited under the
   * case number; the user is told.
   */
  async resetMfa(principal: Principal | undefined, request: MfaResetRequest): Promise<void> {
    const operator = await this.callers.operator(principal);
    await this.stepUp.require(operator, 'mfa.reset');
    if (request.id === operator.id) {
      // Nobody vouches for themselves: another operator does it.
      throw new DomainError(ErrorCode.Forbidden);
    }
    const account = await this.targetAccount(request.id);
    // The account's tenants all see it: it is their user's second step that changes.
    const facts = this.facts.ofOperator(operator, tenantNumbers(account));
    const target = { type: 'user', id: account.user.id };
    const caseReason = `case:${request.caseNumber}`;

    const mismatched = identityMismatches(account, request);
    if (mismatched.length > 0) {
      await this.resets.transaction((manager) =>
        facts.record(manager, {
          type: 'auth.mfa.reset_refused',
          target,
          outcome: 'denied',
          // Field names only: what the caller said stays out of the trail.
          reasons: [...mismatched, caseReason],
        }),
      );
      throw new DomainError(ErrorCode.IdentityCheckFailed, { fields: mismatched });
    }

    const phoneConfirmed = request.phone !== undefined && request.phone.trim() !== '';
    const now = this.clock.now();
    await this.resets.transaction(async (manager) => {
      await this.resets.removeSecondFactors(manager, account.user.id, now, phoneConfirmed);
      await this.sessions.revokeAllForUser(account.user.id, 'mfa_reset', manager);
      await facts.record(manager, {
        type: 'auth.mfa.reset',
        target,
        outcome: 'success',
        // A case number is not personal data: it tells auditors which request this answered.
        reasons: [caseReason],
      });
    });
    await this.notices.send(this.notices.notice(account, 'mfa-reset', { caseNumber: request.caseNumber }));
  }

  /**
   * The carrier's notice that the user's phone line was cancelled: SMS codes are switched off and
   * the user is told at their contact e-mail. A notice about a number that is not the registered
   * one changes nothing (`409 conflict`); a second notice about the same line is answered as done.
   */
  async phoneLineCancelled(
    principal: Principal | undefined,
    request: PhoneLineCancelledRequest,
  ): Promise<void> {
    const operator = await this.callers.operator(principal);
    await this.stepUp.require(operator, 'phone_line.cancelled');
    const account = await this.targetAccount(request.id);
    const phone = account.user.phone;
    if (phone === null || (request.phone !== undefined && request.phone !== phone)) {
      throw new DomainError(ErrorCode.Conflict);
    }
    const notice = await this.resets.transaction((manager) =>
      this.smsSwitchOff.switchOff(manager, account, 'line_cancelled', { userId: operator.id }, phone),
    );
    await this.notices.send(notice);
  }

  private async targetAccount(id: string): Promise<LoginAccount> {
    const account = await this.users.findAccountById(id);
    if (!account) {
      throw new DomainError(ErrorCode.NotFound);
    }
    return account;
  }
}
