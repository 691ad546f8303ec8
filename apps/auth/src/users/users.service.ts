import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { Clock } from '@app/config';
import {
  CreateOperatorDto,
  DomainError,
  ErrorCode,
  Language,
  normalizeUserId,
  TenantMembershipView,
  UserView,
} from '@app/contracts';
import { LoginAccount, membershipViews, tenantNumbers } from './login-account';
import { LoginAccountRepository } from './login-account.repository';
import { PasswordHasher } from '../password/password-hasher';
import { PasswordPolicy } from '../password/password-policy';
import { isUuid } from './caller-verifier';
import { AuditFacts } from './audit-facts';
import { checkedUserId } from './user-id.util';
import { User } from './user.entity';
import { UsersRepository } from './users.repository';

/** Fields of a new account; everything else takes the column defaults. */
export interface NewUser {
  userId: string;
  email: string;
  familyName: string;
  givenName?: string | null;
  phone?: string | null;
  language?: Language;
  passwordHash?: string | null;
  isOperator?: boolean;
  mfaRequired?: boolean;
}

/**
 * Accounts: lookups by login ID and id, memberships, views, creation (AUTH-1).
 *
 * Reads go through LoginAccountRepository, the one reader of a user with their tenants (one query,
 * the same for a known and an unknown ID).
 */
@Injectable()
export class UsersService {
  constructor(
    private readonly users: UsersRepository,
    private readonly accounts: LoginAccountRepository,
    private readonly policy: PasswordPolicy,
    private readonly hasher: PasswordHasher,
    private readonly facts: AuditFacts,
    private readonly clock: Clock,
  ) {}

  /** The account with its tenants, by the ID as typed: case, width and surrounding spaces do not matter (AUTH-1). */
  async findAccount(raw: string, manager?: EntityManager): Promise<LoginAccount | null> {
    return this.accounts.findByKey(normalizeUserId(raw), manager);
  }

  /** The account with its tenants; null for an unknown id or one that is not a uuid. */
  async findAccountById(id: string, manager?: EntityManager): Promise<LoginAccount | null> {
    return isUuid(id) ? this.accounts.findById(id, manager) : null;
  }

  /** The user's tenants with their names and the user's role in each (AUTH-18). */
  async membershipsOf(userId: string, manager?: EntityManager): Promise<TenantMembershipView[]> {
    const account = await this.findAccountById(userId, manager);
    return account ? membershipViews(account) : [];
  }

  /** Tenant numbers of a user: the `tenants` of their audit events, so each tenant's admins see them. */
  async tenantNumbersOf(userId: string, manager?: EntityManager): Promise<string[]> {
    return tenantNumbers(await this.findAccountById(userId, manager));
  }

  /** The view when the lock state is already known (lists read it for all users in one query). */
  static view(user: User, role: 'admin' | 'user' | undefined, locked: boolean): UserView {
    return {
      id: user.id,
      userId: user.userId,
      email: user.email,
      familyName: user.familyName,
      givenName: user.givenName,
      phone: user.phone,
      language: user.language,
      timezone: user.timezone,
      admin: role === 'admin',
      mfaRequired: user.mfaRequired,
      loginDisabled: user.loginDisabled,
      locked,
      createdAt: new Date(user.createdAt).toISOString(),
    };
  }

  /**
   * Inserts an account inside the caller's transaction. The unique index on the normalised ID is the
   * arbiter, so of two concurrent creations of one ID exactly one succeeds; the other gets
   * `409 user_id_taken`, in whatever tenant the ID is used (AUTH-1).
   */
  async insert(manager: EntityManager, fields: NewUser): Promise<User> {
    const userId = checkedUserId(fields.userId);
    const now = this.clock.now();
    const stored = await this.users.insert(manager, {
      id: randomUUID(),
      userId,
      userIdKey: normalizeUserId(userId),
      email: fields.email.trim(),
      familyName: fields.familyName.trim(),
      givenName: fields.givenName?.trim() || null,
      phone: fields.phone ?? null,
      language: fields.language ?? 'ja',
      passwordHash: fields.passwordHash ?? null,
      isOperator: fields.isOperator ?? false,
      mfaRequired: fields.mfaRequired ?? false,
      createdAt: now,
      updatedAt: now,
    });
    if (!stored) {
      throw new DomainError(ErrorCode.UserIdTaken);
    }
    return stored;
  }

  /**
   * `auth.operator.create` (CLI bootstrap): an operator with a password checked against the policy
   * (AUTH-2) and stored with argon2id. Operators belong to no tenant.
   */
  async createOperator(dto: CreateOperatorDto): Promise<UserView> {
    const userId = checkedUserId(dto.userId);
    this.policy.assertAcceptable(dto.password, { userId, email: dto.email });
    // Hashing takes tens of milliseconds: do it before holding a connection in a transaction.
    const passwordHash = await this.hasher.hash(dto.password);
    const user = await this.users.transaction(async (manager) => {
      const created = await this.insert(manager, {
        userId,
        email: dto.email,
        // CreateOperatorDto carries no name; the column is required.
        familyName: '',
        passwordHash,
        isOperator: true,
        // Operators always need a second step (issue 2); the flag records it for the login side.
        mfaRequired: true,
      });
      // The CLI's bootstrap has no signed-in actor, and an operator belongs to no tenant.
      await this.facts.of(null).record(manager, {
        type: 'auth.operator.created',
        target: { type: 'user', id: created.id },
        outcome: 'success',
      });
      return created;
    });
    return UsersService.view(user, undefined, false);
  }
}
