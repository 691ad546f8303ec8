import { Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { DomainError, ErrorCode, MeView, NotificationJob, Principal, UpdateProfileDto } from '@app/contracts';
import { AuditFacts } from '../users/audit-facts';
import { LoginAccount, membershipViews } from '../users/login-account';
import { LoginAccountRepository } from '../users/login-account.repository';
import { StepUpService } from '../flows/step-up.service';
import { MeRepository } from './me.repository';
import { profileChanges } from './profile-changes.util';
import { SmsSwitchOff } from './sms-switch-off.service';
import { UserNotices } from '../users/user-notices';

/** The caller's own account: read it, change it (AUTH-20, with AUTH-12 and AUTH-19). */
@Injectable()
export class ProfileService {
  constructor(
    private readonly me: MeRepository,
    private readonly accounts: LoginAccountRepository,
    private readonly stepUp: StepUpService,
    private readonly smsSwitchOff: SmsSwitchOff,
    private readonly notices: UserNotices,
    private readonly facts: AuditFacts,
    private readonly clock: Clock,
  ) {}

  async view(principal: Principal | undefined): Promise<MeView> {
    const caller = requireCaller(principal);
    return toMeView(await this.accounts.ofCaller(caller), caller);
  }

  /**
   * Changes what `dto` changes. A new e-mail or phone needs a fresh second step first (AUTH-12); the
   * rest does not. The e-mail takes effect at once: the next code or notice goes to the new address.
   * Removing the phone switches SMS codes off and tells the user (AUTH-19).
   */
  async update(principal: Principal | undefined, dto: UpdateProfileDto): Promise<MeView> {
    const caller = requireCaller(principal);
    const before = await this.accounts.ofCaller(caller);
    const planned = profileChanges(before.user, dto);
    for (const field of planned.sensitive) {
      await this.stepUp.require(caller, `profile.${field}`);
    }
    if (planned.fields.length === 0) {
      return toMeView(before, caller);
    }

    const { account, notice, toOld } = await this.me.transaction(async (manager) => {
      const locked = await this.me.lockUser(manager, caller.id);
      if (!locked) {
        throw new DomainError(ErrorCode.SessionEnded);
      }
      // Decided again on the locked row: a concurrent change may have made a field sensitive that
      // was not when the step-up was decided. Rare, and the client simply sends it again.
      const changes = profileChanges(locked, dto);
      if (changes.sensitive.some((f) => !planned.sensitive.includes(f))) {
        throw new DomainError(ErrorCode.Conflict);
      }
      if (changes.fields.length === 0) {
        return { account: { ...before, user: locked }, notice: null, toOld: [] };
      }
      const user = await this.me.updateProfile(manager, caller.id, changes.patch, this.clock.now());
      const after: LoginAccount = { ...before, user };
      const facts = this.facts.of(after, caller.tenant);
      await facts.record(manager, {
        type: 'auth.profile.updated',
        target: { type: 'user', id: user.id },
        outcome: 'success',
        reasons: changes.fields,
      });
      let switchedOff: NotificationJob | null = null;
      if (changes.phoneRemoved) {
        // Told in the language just chosen, at the address just given, if they changed too.
        switchedOff = await this.smsSwitchOff.switchOff(manager, after, 'phone_removed', facts.actor);
      }
      // Whoever held the old address or number hears of the change there (a session taken over
      // could otherwise move the account's codes away without a word to its owner).
      const toOld = (['email', 'phone'] as const).map((field) =>
        changes.fields.includes(field) ? this.notices.contactChanged(after, field, locked[field]) : null,
      );
      return { account: after, notice: switchedOff, toOld };
    });
    await this.notices.send(notice, ...toOld);
    return toMeView(account, caller);
  }
}

/** Every handler here acts on the caller's own account. */
export function requireCaller(principal: Principal | undefined): Principal {
  if (!principal) {
    throw new DomainError(ErrorCode.Unauthorized);
  }
  return principal;
}

function toMeView(account: LoginAccount, caller: Principal): MeView {
  const { user } = account;
  return {
    id: user.id,
    userId: user.userId,
    familyName: user.familyName,
    givenName: user.givenName,
    displayName: user.displayName,
    email: user.email,
    phone: user.phone,
    officePhone: user.officePhone,
    language: user.language,
    timezone: user.timezone,
    tenants: membershipViews(account),
    activeTenant: caller.tenant,
  };
}
