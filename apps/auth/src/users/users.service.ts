import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { Clock } from '@app/config';
import {
  CreateOperatorDto,
  DomainError,
  ErrorCode,
  Language,
  TenantMembershipView,
  UserView,
} from '@app/contracts';
import { OutboxWriter } from '@app/database';
import { LockoutService } from '../lockout/lockout.service';
import { PasswordHasher } from '../password/password-hasher';
import { PasswordPolicy } from '../password/password-policy';
import { isUuid } from './caller-verifier';
import { normalizeUserId } from './normalize-user-id.util';
import { isUniqueViolation } from './unique-violation.util';
import { checkedUserId } from './user-id.util';
import { User } from './user.entity';

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

/** Accounts: lookups by login ID and id, memberships, views, creation (AUTH-1). */
@Injectable()
export class UsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly lockout: LockoutService,
    private readonly policy: PasswordPolicy,
    private readonly hasher: PasswordHasher,
    private readonly outbox: OutboxWriter,
    private readonly clock: Clock,
  ) {}

  /** By the ID as typed: case, width and surrounding spaces do not matter (AUTH-1). */
  async findByLoginId(raw: string, manager: EntityManager = this.dataSource.manager): Promise<User | null> {
    return manager.findOne(User, { where: { userIdKey: normalizeUserId(raw) } });
  }

  async findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<User | null> {
    return isUuid(id) ? manager.findOne(User, { where: { id } }) : null;
  }

  /** The user's tenants with their names and the user's role in each (AUTH-18). */
  async membershipsOf(
    userId: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<TenantMembershipView[]> {
    if (!isUuid(userId)) {
      return [];
    }
    const rows: TenantMembershipView[] = await manager.query(
      `SELECT t.number, t.name, m.role FROM auth.membership m JOIN auth.tenant t ON t.number = m.tenant_number
       WHERE m.user_id = $1 ORDER BY m.created_at, t.number`,
      [userId],
    );
    return rows.map((r) => ({ number: r.number, name: r.name, role: r.role }));
  }

  /** Tenant numbers of a user: the `tenants` of their audit events, so each tenant's admins see them. */
  async tenantNumbersOf(userId: string, manager: EntityManager = this.dataSource.manager): Promise<string[]> {
    return (await this.membershipsOf(userId, manager)).map((m) => m.number);
  }

  /** `role` is the user's role in the tenant the view is for; `admin` follows it. */
  async toView(user: User, role?: 'admin' | 'user'): Promise<UserView> {
    return UsersService.view(user, role, (await this.lockout.lockedFor(user.userIdKey)) !== null);
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
    const user = manager.create(User, {
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
    try {
      await manager.insert(User, user);
    } catch (error) {
      // The failed statement aborts the caller's transaction; the DomainError rolls it back.
      if (isUniqueViolation(error)) {
        throw new DomainError(ErrorCode.UserIdTaken);
      }
      throw error;
    }
    return manager.findOneOrFail(User, { where: { id: user.id } });
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
    const user = await this.dataSource.transaction(async (manager) => {
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
      await this.outbox.record(manager, {
        type: 'auth.operator.created',
        actor: {},
        target: { type: 'user', id: created.id },
        outcome: 'success',
      });
      return created;
    });
    return UsersService.view(user, undefined, false);
  }
}
