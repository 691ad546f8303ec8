import { Injectable } from '@nestjs/common';
import { AdminUserView, Principal, SuggestedUserIdView } from '@app/contracts';
import { LockoutService } from '../lockout/lockout.service';
import { adminUserView } from '../tenants/admin-user-view.util';
import { CallerVerifier } from '../users/caller-verifier';
import { suggestedUserId } from '../users/user-id.util';
import { AdminMemberChange } from './admin-member-change';
import { AdminMembersRepository } from './admin-members.repository';

/**
 * What a tenant admin reads of their users (AUTH-21): the list, one user, a suggested ID. A user of
 * another tenant is `404 not_found`, exactly like an id that does not exist.
 */
@Injectable()
export class AdminUserDirectory {
  constructor(
    private readonly callers: CallerVerifier,
    private readonly members: AdminMembersRepository,
    private readonly lockout: LockoutService,
    private readonly change: AdminMemberChange,
  ) {}

  async list(principal: Principal | undefined): Promise<AdminUserView[]> {
    const { tenant } = await this.callers.tenantAdmin(principal);
    const members = await this.members.membersOf(tenant);
    // The lock state of all of them in one query.
    const locked = await this.lockout.lockedKeys(members.map((m) => m.user.userIdKey));
    return members.map((m) => adminUserView(m.user, m.membership, locked.has(m.user.userIdKey)));
  }

  async get(principal: Principal | undefined, id: string): Promise<AdminUserView> {
    const { tenant } = await this.callers.tenantAdmin(principal);
    return this.change.view(await this.members.member(tenant, id, false));
  }

  /** AUTH-1: the ID the form proposes for an e-mail address; whether it is free shows at creation. */
  async suggestUserId(principal: Principal | undefined, email: string): Promise<SuggestedUserIdView> {
    await this.callers.tenantAdmin(principal);
    return { userId: suggestedUserId(email) };
  }
}
