import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, ErrorCode, Principal } from '@app/contracts';
import { User } from './user.entity';
import { LoginAccount } from './login-account';

/**
 * Reads accounts with their tenants, in ONE query whether or not the account exists: a known ID
 * must not cost a measurably different number of round trips than an unknown one (AUTH-3, AUTH-16).
 * The only reader of users with their memberships: the login rules and sessions use it directly,
 * the accounts side through UsersService.
 * Read-only: users and tenants are written by the accounts side.
 */
@Injectable()
export class LoginAccountRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** By the normalized login ID (`normalizeUserId`), the key of the unique index. */
  async findByKey(
    key: string,
    manager: EntityManager = this.dataSource.manager,
  ): Promise<LoginAccount | null> {
    return this.findOne('u.user_id_key = :value', key, manager);
  }

  async findById(id: string, manager: EntityManager = this.dataSource.manager): Promise<LoginAccount | null> {
    return this.findOne('u.id = :value', id, manager);
  }

  /**
   * The account of a signed-in caller: `unauthorized` without a principal, `session_ended` when the
   * account behind a still-valid token is gone.
   */
  async ofCaller(principal: Principal | undefined): Promise<LoginAccount> {
    if (!principal) {
      throw new DomainError(ErrorCode.Unauthorized);
    }
    const account = await this.findById(principal.id);
    if (!account) {
      throw new DomainError(ErrorCode.SessionEnded);
    }
    return account;
  }

  private async findOne(where: string, value: string, manager: EntityManager): Promise<LoginAccount | null> {
    const user = await manager
      .getRepository(User)
      .createQueryBuilder('u')
      .leftJoinAndSelect('u.memberships', 'm')
      .leftJoinAndSelect('m.tenant', 't')
      .where(where, { value })
      .orderBy('m.created_at', 'ASC')
      .addOrderBy('m.tenant_number', 'ASC')
      .getOne();
    if (!user) {
      return null;
    }
    const memberships = user.memberships ?? [];
    delete user.memberships;
    return {
      user,
      memberships: memberships.map((m) => ({
        tenantNumber: m.tenantNumber,
        tenantName: m.tenant?.name ?? m.tenantNumber,
        role: m.role,
        mfaAlways: m.tenant?.mfaAlways ?? false,
        notificationEmail: m.notificationEmail ?? null,
      })),
    };
  }
}
