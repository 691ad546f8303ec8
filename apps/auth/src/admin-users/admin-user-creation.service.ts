import { Injectable } from '@nestjs/common';
import { Clock } from '@app/config';
import { AdminUserView, CreateAdminUserDto, DomainError, ErrorCode, Principal } from '@app/contracts';
import { StepUpService } from '../flows/step-up.service';
import { canonicalTimeZone } from '../me/time-zone.util';
import { PasswordHasher } from '../password/password-hasher';
import { PasswordPolicy } from '../password/password-policy';
import { adminUserView } from '../tenants/admin-user-view.util';
import { AuditFacts } from '../users/audit-facts';
import { CallerVerifier } from '../users/caller-verifier';
import { checkedUserId, suggestedUserId } from '../users/user-id.util';
import { UsersService } from '../users/users.service';
import { AdminMembersRepository } from './admin-members.repository';
import { blankToNull, requiredName } from './admin-user-fields.util';

/** AUTH-21: a new user's time zone unless the admin picks another. */
const DEFAULT_TIMEZONE = 'Asia/Tokyo';

/** A tenant admin creates a user of their active tenant (AUTH-1, AUTH-14, AUTH-21). */
@Injectable()
export class AdminUserCreation {
  constructor(
    private readonly callers: CallerVerifier,
    private readonly stepUp: StepUpService,
    private readonly users: UsersService,
    private readonly members: AdminMembersRepository,
    private readonly hasher: PasswordHasher,
    private readonly policy: PasswordPolicy,
    private readonly facts: AuditFacts,
    private readonly clock: Clock,
  ) {}

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
    const facts = this.facts.ofAdmin(caller);

    const user = await this.members.transaction(async (manager) => {
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
      await this.members.updateUser(manager, created.id, {
        title: blankToNull(dto.title),
        officePhone: dto.officePhone ?? null,
        timezone,
        updatedAt: now,
      });
      await this.members.insertMembership(manager, {
        userId: created.id,
        tenantNumber: caller.tenant,
        role,
        notificationEmail: null,
        createdAt: now,
      });
      if (initialHash) {
        await this.members.insertInitialPassword(manager, {
          userId: created.id,
          passwordHash: initialHash,
          createdBy: caller.principal.id,
          createdAt: now,
          usedAt: null,
        });
      }
      await facts.record(manager, {
        type: 'auth.user.created',
        target: { type: 'user', id: created.id },
        outcome: 'success',
        reasons: [
          role === 'admin' ? 'tenant_admin' : 'tenant_user',
          ...(initialHash ? ['initial_password_set'] : []),
        ],
      });
      return this.members.user(manager, created.id);
    });
    return adminUserView(user, { role, notificationEmail: null }, false);
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
}
