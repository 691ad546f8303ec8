import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@app/config';
import { AuditActor, NotificationJob, SmsDisabledReason } from '@app/contracts';
import { AuditFacts } from '../users/audit-facts';
import { LoginAccount, tenantNumbers } from '../users/login-account';
import { MeRepository } from './me.repository';
import { UserNotices } from '../users/user-notices';

/**
 * AUTH-19: SMS codes are switched off automatically when the phone line is cancelled or the phone
 * removed, and the user is told at their contact e-mail. While `sms_disabled_at` is set the login
 * offers no SMS and a challenge by SMS answers `sms_unavailable` (SecurityCodesService); registering
 * a phone again clears it.
 *
 * Runs inside the caller's transaction (the profile change, the operator's notice, an admin's edit)
 * so the switch-off commits with what caused it; the caller queues the returned notice after commit.
 */
@Injectable()
export class SmsSwitchOff {
  constructor(
    private readonly me: MeRepository,
    private readonly facts: AuditFacts,
    private readonly notices: UserNotices,
    private readonly clock: Clock,
  ) {}

  /**
   * Switches SMS codes off for `account` and audits it; returns the notice, or null when they were
   * already off — one switch-off, one notice, however many callers race. With `onlyForPhone` nothing
   * happens unless that is still the registered number (a notice about an old line must not switch
   * off a new one).
   */
  async switchOff(
    manager: EntityManager,
    account: LoginAccount,
    reason: SmsDisabledReason,
    actor: AuditActor,
    onlyForPhone?: string,
  ): Promise<NotificationJob | null> {
    const switched = await this.me.switchOffSms(
      manager,
      account.user.id,
      this.clock.now(),
      reason,
      onlyForPhone ?? null,
    );
    if (!switched) {
      return null;
    }
    await this.facts.as(actor, tenantNumbers(account)).record(manager, {
      type: 'auth.mfa.sms_disabled',
      target: { type: 'user', id: account.user.id },
      outcome: 'success',
      reasons: [reason],
    });
    return this.notices.notice(account, 'sms-disabled', { reason });
  }
}
