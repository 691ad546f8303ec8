import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { DomainError, ErrorCode, Principal, UserView } from '@app/contracts';
import { OutboxWriter } from '@app/database';
import { LockoutService } from '../lockout/lockout.service';
import { CallerVerifier, isUuid } from '../users/caller-verifier';
import { User } from '../users/user.entity';
import { UsersService } from '../users/users.service';

interface TenantMember {
  user: User;
  role: 'admin' | 'user';
}

/** Tenant admins manage the users of their active tenant, and only those (AUTH-21). */
@Injectable()
export class AdminUsersService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly callers: CallerVerifier,
    private readonly users: UsersService,
    private readonly lockout: LockoutService,
    private readonly outbox: OutboxWriter,
  ) {}

  async list(principal: Principal | undefined): Promise<UserView[]> {
    const { tenant } = await this.callers.tenantAdmin(principal);
    const members = await this.membersOf(this.dataSource.manager, tenant);
    const locked = await this.lockout.lockedKeys(members.map((m) => m.user.userIdKey));
    return members.map((m) => UsersService.view(m.user, m.role, locked.has(m.user.userIdKey)));
  }

  /**
   * AUTH-3: an admin unlocks a user of the active tenant at once, with a fresh count. A user of
   * another tenant is `not_found`, exactly like an id that does not exist.
   */
  async unlock(principal: Principal | undefined, id: string): Promise<void> {
    const { principal: admin, tenant } = await this.callers.tenantAdmin(principal);
    await this.dataSource.transaction(async (manager) => {
      const member = isUuid(id) ? await this.member(manager, tenant, id) : null;
      if (!member) {
        throw new DomainError(ErrorCode.NotFound);
      }
      await this.lockout.unlock(member.user.userIdKey, manager);
      await this.outbox.record(manager, {
        type: 'auth.account.unlocked',
        actor: { userId: admin.id, tenant },
        target: { type: 'user', id: member.user.id },
        outcome: 'success',
        reasons: ['admin_unlock'],
        tenants: await this.users.tenantNumbersOf(member.user.id, manager),
      });
    });
  }

  /** Tenant scoping is in the signature: there is no way to ask for users without a tenant. */
  private async membersOf(manager: EntityManager, tenant: string): Promise<TenantMember[]> {
    const rows: { user_id: string; role: 'admin' | 'user' }[] = await manager.query(
      `SELECT user_id, role FROM auth.membership WHERE tenant_number = $1`,
      [tenant],
    );
    if (rows.length === 0) {
      return [];
    }
    const users = await manager
      .createQueryBuilder(User, 'u')
      .where('u.id = ANY(:ids)', { ids: rows.map((r) => r.user_id) })
      .orderBy('u.created_at')
      .addOrderBy('u.id')
      .getMany();
    const roles = new Map(rows.map((r) => [r.user_id, r.role]));
    return users.map((user) => ({ user, role: roles.get(user.id) ?? 'user' }));
  }

  private async member(manager: EntityManager, tenant: string, id: string): Promise<TenantMember | null> {
    const rows: { role: 'admin' | 'user' }[] = await manager.query(
      `SELECT role FROM auth.membership WHERE tenant_number = $1 AND user_id = $2`,
      [tenant, id],
    );
    const user = rows.length > 0 ? await manager.findOne(User, { where: { id } }) : null;
    return user ? { user, role: rows[0].role } : null;
  }
}
