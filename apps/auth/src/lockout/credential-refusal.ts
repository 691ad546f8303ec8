import { Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { AuditEventType, DomainError, ErrorCode } from '@app/contracts';
import { AuditFacts, Fact } from '../users/audit-facts';
import { LoginAccount } from '../users/login-account';
import { UserNotices } from '../users/user-notices';
import { LockoutRepository } from './lockout.repository';
import { LOCK_DURATION_MS, LockoutService } from './lockout.service';

export interface CredentialFailure {
  type: AuditEventType;
  reasons: string[];
  target?: { type: string; id: string };
  /** The caller's active tenant, for a signed-in caller (a password change). */
  tenant?: string | null;
  /** Extra reasons on `auth.login.locked_out` naming the entry point, e.g. `password_change`. */
  lockReasons?: string[];
}

/**
 * `auth.login.refused_locked`: a locked ID at an entry point that takes a secret or a code (AUTH-3,
 * AUTH-6), with the thing it came through (`target`) and the entry point's own reasons.
 */
export function refusedLocked(target?: { type: string; id: string }, reasons: string[] = []): Fact {
  return {
    type: 'auth.login.refused_locked',
    ...(target ? { target } : {}),
    outcome: 'denied',
    reasons: ['account_locked', ...reasons],
  };
}

/**
 * A wrong secret at any entry point that takes one (password step, initial password, password
 * change; AUTH-3): the try reserved before the hash was checked is settled as a failure in the same
 * transaction as its audit event, plus `auth.login.locked_out` when this failure locked the ID. Then
 * `401 invalid_credentials`, the same answer whatever was wrong.
 */
@Injectable()
export class CredentialRefusal {
  constructor(
    private readonly throttle: LockoutRepository,
    private readonly lockout: LockoutService,
    private readonly facts: AuditFacts,
    private readonly notices: UserNotices,
    private readonly clock: Clock,
  ) {}

  async refuse(key: string, account: LoginAccount | null, failure: CredentialFailure): Promise<never> {
    const facts = this.facts.of(account, failure.tenant);
    // The settlement, the failure's fact and, when this failure locked the ID, the lock's fact: one
    // statement, atomic on its own (issue 13), and the same for a known and an unknown ID (AUTH-3).
    const { statement, lockedNow } = this.lockout.failure(key);
    const written = await this.facts
      .outcome()
      .change(statement)
      .fact(facts, {
        type: failure.type,
        ...(failure.target ? { target: failure.target } : {}),
        outcome: 'failure',
        reasons: failure.reasons,
      })
      .factIf(
        facts,
        {
          type: 'auth.login.locked_out',
          outcome: 'denied',
          reasons: ['password_failures', ...(failure.lockReasons ?? [])],
        },
        lockedNow,
      )
      .commit(this.throttle.standalone);
    const locked = written.includes('auth.login.locked_out');
    if (locked && account) {
      // The owner learns that someone tried, and when the ID unlocks (NOTIF-3). Not awaited: an
      // unknown ID locks too but has no one to tell, and the answer's timing must not show which.
      const until = new Date(this.clock.now().getTime() + LOCK_DURATION_MS).toISOString();
      void this.notices.send(this.notices.notice(account, 'account-locked', { until }));
    }
    throw new DomainError(ErrorCode.InvalidCredentials);
  }

  /**
   * A locked ID at an entry point that takes a secret (AUTH-3): `auth.login.refused_locked` with the
   * entry point's reasons, then `423 account_locked` with the seconds until it unlocks. The secret is
   * not looked at, and no try is counted.
   */
  async refuseLocked(
    account: LoginAccount | null,
    retryAfter: number,
    refusal: { tenant?: string | null; reasons?: string[] } = {},
  ): Promise<never> {
    await this.throttle.transaction((manager) =>
      this.facts.of(account, refusal.tenant).record(manager, refusedLocked(undefined, refusal.reasons)),
    );
    throw new DomainError(ErrorCode.AccountLocked, { retryAfter });
  }
}
