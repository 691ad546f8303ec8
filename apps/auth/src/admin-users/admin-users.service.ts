import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '@app/config';
import {
  AdminUserView,
  AuditEventType,
  CreateAdminUserDto,
  DomainError,
  ErrorCode,
  normalizeUserId,
  NotificationJob,
  Principal,
  SuggestedUserIdView,
  UpdateAdminUserDto,
} from '@app/contracts';
import { OutboxWriter } from '@app/database';
import { SmsSwitchOff } from '../me/sms-switch-off.service';
import { UserNotices } from '../users/user-notices';
import { InitialPassword } from '../login-flow/initial-password.entity';
import { LockoutService } from '../lockout/lockout.service';
import { StepUpService } from '../flows/step-up.service';
import { canonicalTimeZone } from '../me/time-zone.util';
import { PasswordHasher } from '../password/password-hasher';
import { PasswordPolicy } from '../password/password-policy';
import { SessionsService } from '../sessions/sessions.service';
import { Membership } from '../tenants/membership.entity';
import { CallerVerifier, isUuid, TenantAdminCaller } from '../users/caller-verifier';
import { isUniqueViolation } from '../users/unique-violation.util';
import { checkedUserId, suggestedUserId } from '../users/user-id.util';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';
import { adminUserView, MembershipFacts } from '../tenants/admin-user-view.util';

/** AUTH-21: a new user's time zone unless the admin picks another. */
const DEFAULT_TIMEZONE = 'Asia/Tokyo';

/** A user of the admin's tenant, read under lock for a change. */
interface TenantMember {
  user: User;
  membership: MembershipFacts;
}

/**
 * Columns that guard the login of the account in every tenant it belongs to (where codes, links and
 * notices go; whether a second step is required). A tenant admin changes them only for a user
 * wholly in their care (see `requireWholeAccount`); the other editable columns are profile data.
 */
const ACCOUNT_WIDE_COLUMNS: readonly (keyof EditableUserColumns)[] = ['email', 'phone', 'mfaRequired'];

/** Account columns an admin edits (AUTH-21); the rest belong to the user or to the login rules. */
type EditableUserColumns = Pick<
  User,
  | 'familyName'
  | 'givenName'
  | 'email'
  | 'title'
  | 'phone'
  | 'officePhone'
  | 'language'
  | 'timezone'
  | 'mfaRequired'
>;

/**
 * Tenant admins manage the users of their active tenant, and only those (AUTH-21). A user of another
 * tenant is `404 not_found` on every route, exactly like an id that does not exist. Every change
 * needs a fresh second step (AUTH-12), runs in one transaction with the user's rows locked, and
 * leaves an audit event with ids and reason codes only (never the e-mail or the user ID text).
 */
@Injectable()
export class AdminUsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly callers: CallerVerifier,
    private readonly users: UsersService,
    private readonly lockout: LockoutService,
    private readonly stepUp: StepUpService,
    private readonly sessions: SessionsService,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly outbox: OutboxWriter,
    private readonly smsSwitchOff: SmsSwitchOff,
    private readonly notices: UserNotices,
    private readonly clock: Clock,
  ) {}

  async list(principal: Principal | undefined): Promise<AdminUserView[]> {
    const { tenant } = await this.callers.tenantAdmin(principal);
    const members = await this.membersOf(this.dataSource.manager, tenant);
    const locked = await this.lockout.lockedKeys(members.map((m) => m.user.userIdKey));
    return members.map((m) => adminUserView(m.user, m.membership, locked.has(m.user.userIdKey)));
  }

  async get(principal: Principal | undefined, id: string): Promise<AdminUserView> {
    const { tenant } = await this.callers.tenantAdmin(principal);
    const member = await this.member(this.dataSource.manager, tenant, id, false);
    return this.view(member);
  }

  /** AUTH-1: the ID the form proposes for an e-mail address; whether it is free shows at creation. */
  async suggestUserId(principal: Principal | undefined, email: string): Promise<SuggestedUserIdView> {
    await this.callers.tenantAdmin(principal);
    return { userId: suggestedUserId(email) };
  }

  /**
   * AUTH-21: a new user of the active tenant, without a password: they set one through the reset
   * flow with their user ID (AUTH-14), as the operator's representative admin does. An admin needs
   * an initial authentication password, which they enter once at their first login (AUTH-14).
   */
  async create(principal: Principal | undefined, dto: CreateAdminUserDto): Promise<AdminUserView> {
    const caller = await this.callers.tenantAdmin(principal);
    const email = dto.email.trim();
    const familyName = requiredName(dto.familyName);
    const userId = checkedUserId(dto.userId ?? suggestedUserId(email));
    const role = dto.admin === true ? 'admin' : 'user';
    const timezone = canonicalTimeZone(dto.timezone ?? DEFAULT_TIMEZONE);
    this.checkInitialPassword(role, dto, userId, email);
    await this.stepUp.require(caller.principal, 'admin.user.create');
    // Hashing takes tens of milliseconds: done before a connection is held in a transaction.
    const initialHash = dto.initialPassword ? await this.hasher.hash(dto.initialPassword) : null;

    const user = await this.dataSource.transaction(async (manager) => {
      // The unique index on the normalised ID decides: `409 user_id_taken` in whatever tenant it is used.
      const created = await this.users.insert(manager, {
        userId,
        email,
        familyName,
        givenName: dto.givenName,
        phone: dto.phone ?? null,
        language: dto.language,
        mfaRequired: dto.mfaRequired ?? false,
      });
      const now = this.clock.now();
      await manager.update(
        User,
        { id: created.id },
        { title: blankToNull(dto.title), officePhone: dto.officePhone ?? null, timezone, updatedAt: now },
      );
      await manager.insert(Membership, {
        userId: created.id,
        tenantNumber: caller.tenant,
        role,
        notificationEmail: null,
        createdAt: now,
      });
      if (initialHash) {
        await manager.insert(InitialPassword, {
          userId: created.id,
          passwordHash: initialHash,
          createdBy: caller.principal.id,
          createdAt: now,
          usedAt: null,
        });
      }
      await this.record(manager, 'auth.user.created', caller, created.id, [
        role === 'admin' ? 'tenant_admin' : 'tenant_user',
        ...(initialHash ? ['initial_password_set'] : []),
      ]);
      return manager.findOneOrFail(User, { where: { id: created.id } });
    });
    return adminUserView(user, { role, notificationEmail: null }, false);
  }

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
    await this.stepUp.require(caller.principal, 'admin.user.update');

    let notice: NotificationJob | null = null;
    const oldContacts: NotificationJob[] = [];
    const member = await this.dataSource.transaction(async (manager) => {
      const found = await this.member(manager, caller.tenant, id, true);
      const changes: Partial<User> = {};
      for (const [column, value] of Object.entries(wanted) as [keyof EditableUserColumns, unknown][]) {
        if (found.user[column] !== value) {
          (changes as Record<string, unknown>)[column] = value;
        }
      }
      if (ACCOUNT_WIDE_COLUMNS.some((column) => column in changes)) {
        await this.requireWholeAccount(manager, caller, id);
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
        await manager.update(Membership, { userId: id, tenantNumber: caller.tenant }, { role });
        reasons.push('admin');
      }
      if (Object.keys(changes).length > 0) {
        await manager.update(User, { id }, { ...changes, updatedAt: this.clock.now() });
      }
      if (reasons.length > 0) {
        await this.record(manager, 'auth.user.updated', caller, id, reasons);
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
      return this.member(manager, caller.tenant, id, false);
    });
    await this.notices.send(notice, ...oldContacts);
    return this.view(member);
  }

  /**
   * AUTH-1: a new user ID, unique across all tenants whatever its case. The unique index decides,
   * so of two concurrent changes to one ID exactly one succeeds; the other is `409 user_id_taken`.
   */
  async changeUserId(principal: Principal | undefined, id: string, raw: string): Promise<AdminUserView> {
    const caller = await this.callers.tenantAdmin(principal);
    const userId = checkedUserId(raw);
    await this.stepUp.require(caller.principal, 'admin.user.user_id');

    const member = await this.dataSource.transaction(async (manager) => {
      const found = await this.member(manager, caller.tenant, id, true);
      if (found.user.userId === userId) {
        return found;
      }
      // The ID is what the user logs in with in every tenant.
      await this.requireWholeAccount(manager, caller, id);
      try {
        await manager.update(
          User,
          { id },
          { userId, userIdKey: normalizeUserId(userId), updatedAt: this.clock.now() },
        );
      } catch (error) {
        // The failed statement aborts the transaction; the DomainError rolls it back.
        if (isUniqueViolation(error)) {
          throw new DomainError(ErrorCode.UserIdTaken);
        }
        throw error;
      }
      await this.record(manager, 'auth.user.user_id_changed', caller, id, ['admin_change']);
      return this.member(manager, caller.tenant, id, false);
    });
    return this.view(member);
  }

  /**
   * AUTH-4: the user can no longer log in, and every session of theirs ends in the same
   * transaction, so their access tokens are refused at once (marked revoked after commit).
   */
  async disable(principal: Principal | undefined, id: string): Promise<void> {
    const caller = await this.callers.tenantAdmin(principal);
    if (id === caller.principal.id) {
      throw new DomainError(ErrorCode.Conflict, { reason: 'own_login' });
    }
    await this.stepUp.require(caller.principal, 'admin.user.disable');
    await this.dataSource.transaction(async (manager) => {
      const found = await this.member(manager, caller.tenant, id, true);
      // A disabled login keeps the user out of every tenant, not only this one.
      await this.requireWholeAccount(manager, caller, id);
      if (!found.user.loginDisabled) {
        await manager.update(User, { id }, { loginDisabled: true, updatedAt: this.clock.now() });
        await this.record(manager, 'auth.user.login_disabled', caller, id, ['admin_disable']);
      }
      // Also when it was already disabled: nothing of theirs may stay open.
      await this.sessions.revokeAllForUser(id, 'login_disabled', manager);
    });
  }

  /** AUTH-4: users are never deleted; a disabled one can be let in again. */
  async enable(principal: Principal | undefined, id: string): Promise<void> {
    const caller = await this.callers.tenantAdmin(principal);
    await this.stepUp.require(caller.principal, 'admin.user.enable');
    await this.dataSource.transaction(async (manager) => {
      const found = await this.member(manager, caller.tenant, id, true);
      await this.requireWholeAccount(manager, caller, id);
      if (found.user.loginDisabled) {
        await manager.update(User, { id }, { loginDisabled: false, updatedAt: this.clock.now() });
        await this.record(manager, 'auth.user.login_enabled', caller, id, ['admin_enable']);
      }
    });
  }

  /** AUTH-3: an admin unlocks a user of the active tenant at once, with a fresh count. */
  async unlock(principal: Principal | undefined, id: string): Promise<void> {
    const caller = await this.callers.tenantAdmin(principal);
    await this.stepUp.require(caller.principal, 'admin.user.unlock');
    await this.dataSource.transaction(async (manager) => {
      const found = await this.member(manager, caller.tenant, id, true);
      await this.lockout.unlock(found.user.userIdKey, manager);
      await this.outbox.record(manager, {
        type: 'auth.account.unlocked',
        actor: { userId: caller.principal.id, tenant: caller.tenant },
        target: { type: 'user', id },
        outcome: 'success',
        reasons: ['admin_unlock'],
        // The lock was the account's; the unlock is this admin's action in this tenant.
        tenants: [caller.tenant],
      });
    });
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
    await this.stepUp.require(caller.principal, 'admin.user.notification_email');
    const member = await this.dataSource.transaction(async (manager) => {
      const found = await this.member(manager, caller.tenant, id, true);
      if (found.membership.notificationEmail !== address) {
        // This tenant's own setting, yet it decides where the codes of the account's step-ups in
        // this tenant go; for a user shared with another tenant that is the operator's to set.
        await this.requireWholeAccount(manager, caller, id);
        await manager.update(
          Membership,
          { userId: id, tenantNumber: caller.tenant },
          { notificationEmail: address },
        );
        await this.record(manager, 'auth.user.notification_email_set', caller, id, [
          address === null ? 'cleared' : 'set',
        ]);
      }
      return this.member(manager, caller.tenant, id, false);
    });
    return this.view(member);
  }

  /** NOTIF-6: another admin clears the undeliverable mark, so codes by e-mail are sent again. */
  async markEmailDeliverable(principal: Principal | undefined, id: string): Promise<void> {
    const caller = await this.callers.tenantAdmin(principal);
    await this.stepUp.require(caller.principal, 'admin.user.email_deliverable');
    await this.dataSource.transaction(async (manager) => {
      const found = await this.member(manager, caller.tenant, id, true);
      if (found.user.emailUndeliverable) {
        await manager.update(User, { id }, { emailUndeliverable: false, updatedAt: this.clock.now() });
        await this.record(manager, 'auth.user.email_deliverable', caller, id, ['admin_cleared']);
      }
    });
  }

  /** AUTH-14: an admin gets an initial authentication password; nobody else may be given one. */
  private checkInitialPassword(
    role: 'admin' | 'user',
    dto: CreateAdminUserDto,
    userId: string,
    email: string,
  ): void {
    if (role === 'user') {
      if (dto.initialPassword !== undefined) {
        throw new DomainError(ErrorCode.ValidationFailed, {
          fields: { initialPassword: ['initialPassword is only for admins'] },
        });
      }
      return;
    }
    if (dto.initialPassword === undefined) {
      throw new DomainError(ErrorCode.ValidationFailed, {
        fields: { initialPassword: ['initialPassword is required for an admin'] },
      });
    }
    this.policy.assertAcceptable(dto.initialPassword, {
      userId,
      email,
      familyName: dto.familyName,
      givenName: dto.givenName,
    });
  }

  private async record(
    manager: EntityManager,
    type: AuditEventType,
    caller: TenantAdminCaller,
    userId: string,
    reasons: string[],
  ): Promise<void> {
    await this.outbox.record(manager, {
      type,
      actor: { userId: caller.principal.id, tenant: caller.tenant },
      target: { type: 'user', id: userId },
      outcome: 'success',
      reasons,
      // An admin's action is their tenant's alone, even on a user shared with other tenants
      // (AUDIT_EVENT_SCOPES): the others never see this admin, nor what they set.
      tenants: [caller.tenant],
    });
  }

  /**
   * An account-wide change is this admin's only when every tenant of the user is one where the
   * caller is admin; otherwise `409 account_shared` and an operator does it. Called with the user's
   * row locked (`member(…, true)`): adding a membership takes a key-share lock on that row, so a
   * membership added while this change runs is either seen here or waits for it to commit.
   */
  private async requireWholeAccount(
    manager: EntityManager,
    caller: TenantAdminCaller,
    userId: string,
  ): Promise<void> {
    const foreign: unknown[] = await manager.query(
      `SELECT 1 FROM auth.membership m
        WHERE m.user_id = $1
          AND NOT EXISTS (SELECT 1 FROM auth.membership a
                           WHERE a.user_id = $2 AND a.tenant_number = m.tenant_number AND a.role = 'admin')
        LIMIT 1`,
      [userId, caller.principal.id],
    );
    if (foreign.length > 0) {
      throw new DomainError(ErrorCode.AccountShared);
    }
  }

  private async view(member: TenantMember): Promise<AdminUserView> {
    const locked = (await this.lockout.lockedFor(member.user.userIdKey)) !== null;
    return adminUserView(member.user, member.membership, locked);
  }

  /** Tenant scoping is in the signature: there is no way to ask for users without a tenant. */
  private async membersOf(manager: EntityManager, tenant: string): Promise<TenantMember[]> {
    const rows: Membership[] = await manager.find(Membership, { where: { tenantNumber: tenant } });
    if (rows.length === 0) {
      return [];
    }
    const users = await manager
      .createQueryBuilder(User, 'u')
      .where('u.id = ANY(:ids)', { ids: rows.map((r) => r.userId) })
      .orderBy('u.created_at')
      .addOrderBy('u.id')
      .getMany();
    const memberships = new Map(rows.map((r) => [r.userId, r]));
    return users.map((user) => ({ user, membership: memberships.get(user.id) as Membership }));
  }

  /**
   * The user `id` as a member of `tenant`, or `404 not_found` — for another tenant's user exactly as
   * for an unknown id or one that is not a uuid. With `lock`, the membership and the user rows are
   * held until the transaction ends (membership first, then user, in every path), so concurrent
   * changes to one user queue instead of overwriting each other.
   */
  private async member(
    manager: EntityManager,
    tenant: string,
    id: string,
    lock: boolean,
  ): Promise<TenantMember> {
    if (!isUuid(id)) {
      throw new DomainError(ErrorCode.NotFound);
    }
    const lockMode = lock ? { lock: { mode: 'pessimistic_write' as const } } : {};
    const membership = await manager.findOne(Membership, {
      where: { userId: id, tenantNumber: tenant },
      ...lockMode,
    });
    const user = membership ? await manager.findOne(User, { where: { id }, ...lockMode }) : null;
    if (!membership || !user) {
      throw new DomainError(ErrorCode.NotFound);
    }
    return { user, membership };
  }
}

/** The account columns a PATCH sets, trimmed and normalised as they will be stored. */
function editableColumns(dto: UpdateAdminUserDto): Partial<EditableUserColumns> {
  const columns: Partial<EditableUserColumns> = {};
  if (dto.familyName !== undefined) {
    columns.familyName = requiredName(dto.familyName);
  }
  if (dto.givenName !== undefined) {
    columns.givenName = blankToNull(dto.givenName);
  }
  if (dto.email !== undefined) {
    columns.email = dto.email.trim();
  }
  if (dto.title !== undefined) {
    columns.title = blankToNull(dto.title);
  }
  if (dto.phone !== undefined) {
    columns.phone = dto.phone;
  }
  if (dto.officePhone !== undefined) {
    columns.officePhone = dto.officePhone;
  }
  if (dto.language !== undefined) {
    columns.language = dto.language;
  }
  if (dto.timezone !== undefined) {
    columns.timezone = canonicalTimeZone(dto.timezone);
  }
  if (dto.mfaRequired !== undefined) {
    columns.mfaRequired = dto.mfaRequired;
  }
  return columns;
}

/** The family name is required (AUTH-21): spaces alone are no name. */
function requiredName(value: string): string {
  const name = value.trim();
  if (name === '') {
    throw new DomainError(ErrorCode.ValidationFailed, { fields: { familyName: ['familyName is required'] } });
  }
  return name;
}

function blankToNull(value: string | null | undefined): string | null {
  return value?.trim() || null;
}
