import { Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import {
  AdminUserView,
  DomainError,
  ErrorCode,
  NotificationJob,
  Principal,
  UpdateAdminUserDto,
} from '@app/contracts';
import { SmsSwitchOff } from '../me/sms-switch-off.service';
import { CallerVerifier } from '../users/caller-verifier';
import { checkedUserId } from '../users/user-id.util';
import { User } from '../users/user.entity';
import { UserNotices } from '../users/user-notices';
import { UsersService } from '../users/users.service';
import { AdminMemberChange } from './admin-member-change';
import { AdminMembersRepository } from './admin-members.repository';
import { ACCOUNT_WIDE_COLUMNS, EditableUserColumns, editableColumns } from './admin-user-fields.util';

/**
 * A tenant admin's edits of a user of their active tenant (AUTH-1, AUTH-7, AUTH-21, NOTIF-6), each
 * through AdminMemberChange: step-up, one transaction with the member locked, the change, its facts.
 */
@Injectable()
export class AdminUserEdits {
  constructor(
    private readonly callers: CallerVerifier,
    private readonly change: AdminMemberChange,
    private readonly members: AdminMembersRepository,
    private readonly users: UsersService,
    private readonly smsSwitchOff: SmsSwitchOff,
    private readonly notices: UserNotices,
    private readonly clock: Clock,
  ) {}

  /** AUTH-21: edit a user of the active tenant; only the fields given change. */
  async update(
    principal: Principal | undefined,
    id: string,
    dto: UpdateAdminUserDto,
  ): Promise<AdminUserView> {
    const caller = await this.callers.tenantAdmin(principal);
    if (dto.admin === false && id === caller.principal.id) {
      // Demoting oneself could leave the tenant without an admin; another admin may do it.
      throw new DomainError(ErrorCode.Conflict, { reason: 'own_admin_role' });
    }
    const wanted = editableColumns(dto);

    let notice: NotificationJob | null = null;
    const oldContacts: NotificationJob[] = [];
    const member = await this.change.run(caller, 'admin.user.update', id, async (step) => {
      const { manager, found } = step;
      const changes: Partial<User> = {};
      for (const [column, value] of Object.entries(wanted) as [keyof EditableUserColumns, unknown][]) {
        if (found.user[column] !== value) {
          (changes as Record<string, unknown>)[column] = value;
        }
      }
      if (ACCOUNT_WIDE_COLUMNS.some((column) => column in changes)) {
        await step.requireWholeAccount();
      }
      if (changes.email !== undefined) {
        // NOTIF-6: a new address is not known to bounce.
        changes.emailUndeliverable = false;
      }
      if (changes.phone) {
        // AUTH-19: registering a phone again lifts the automatic SMS switch-off.
        changes.smsDisabledAt = null;
        changes.smsDisabledReason = null;
      }
      const reasons = Object.keys(changes).filter((c) => c in wanted);
      const role = dto.admin === undefined ? found.membership.role : dto.admin ? 'admin' : 'user';
      if (role !== found.membership.role) {
        await this.members.updateMembership(manager, id, caller.tenant, { role });
        reasons.push('admin');
      }
      if (Object.keys(changes).length > 0) {
        await this.members.updateUser(manager, id, { ...changes, updatedAt: this.clock.now() });
      }
      if (reasons.length > 0) {
        await step.audit('auth.user.updated', reasons);
      }
      const account =
        changes.email !== undefined || changes.phone !== undefined
          ? await this.users.findAccountById(id, manager)
          : null;
      if (account && changes.phone === null && found.user.phone) {
        // AUTH-19: the phone is gone, so are SMS codes; the user is told at their contact e-mail.
        notice = await this.smsSwitchOff.switchOff(manager, account, 'phone_removed', {
          userId: caller.principal.id,
          tenant: caller.tenant,
        });
      }
      if (account) {
        // The owner hears of it where they were reached until now, in their language.
        for (const field of ['email', 'phone'] as const) {
          const job =
            changes[field] !== undefined
              ? this.notices.contactChanged(account, field, found.user[field])
              : null;
          if (job) {
            oldContacts.push(job);
          }
        }
      }
      return step.reread();
    });
    await this.notices.send(notice, ...oldContacts);
    return this.change.view(member);
  }

  /**
   * AUTH-1: a new user ID, unique across all tenants whatever its case. The unique index decides,
   * so of two concurrent changes to one ID exactly one succeeds; the other is `409 user_id_taken`.
   */
  async changeUserId(principal: Principal | undefined, id: string, raw: string): Promise<AdminUserView> {
    const caller = await this.callers.tenantAdmin(principal);
    const userId = checkedUserId(raw);
    const member = await this.change.run(caller, 'admin.user.user_id', id, async (step) => {
      if (step.found.user.userId === userId) {
        return step.found;
      }
      // The ID is what the user logs in with in every tenant.
      await step.requireWholeAccount();
      if (!(await this.members.updateUserId(step.manager, id, userId, this.clock.now()))) {
        throw new DomainError(ErrorCode.UserIdTaken);
      }
      await step.audit('auth.user.user_id_changed', ['admin_change']);
      return step.reread();
    });
    return this.change.view(member);
  }

  /**
   * AUTH-7: the address this tenant sends the user's security codes to, instead of every contact
   * address of the account; null removes it. It belongs to this tenant's membership only.
   */
  async setNotificationEmail(
    principal: Principal | undefined,
    id: string,
    email: string | null,
  ): Promise<AdminUserView> {
    const caller = await this.callers.tenantAdmin(principal);
    const address = email === null ? null : email.trim();
    const member = await this.change.run(caller, 'admin.user.notification_email', id, async (step) => {
      if (step.found.membership.notificationEmail !== address) {
        // This tenant's own setting, yet it decides where the codes of the account's step-ups in
        // this tenant go; for a user shared with another tenant that is the operator's to set.
        await step.requireWholeAccount();
        await this.members.updateMembership(step.manager, id, caller.tenant, { notificationEmail: address });
        await step.audit('auth.user.notification_email_set', [address === null ? 'cleared' : 'set']);
      }
      return step.reread();
    });
    return this.change.view(member);
  }

  /** NOTIF-6: another admin clears the undeliverable mark, so codes by e-mail are sent again. */
  async markEmailDeliverable(principal: Principal | undefined, id: string): Promise<void> {
    const caller = await this.callers.tenantAdmin(principal);
    await this.change.run(caller, 'admin.user.email_deliverable', id, async (step) => {
      if (step.found.user.emailUndeliverable) {
        await this.members.updateUser(step.manager, id, {
          emailUndeliverable: false,
          updatedAt: this.clock.now(),
        });
        await step.audit('auth.user.email_deliverable', ['admin_cleared']);
      }
    });
  }
}
