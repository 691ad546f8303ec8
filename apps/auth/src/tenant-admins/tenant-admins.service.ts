import { Injectable } from '@nestjs/common';
import { DomainError, ErrorCode, Principal, UserView } from '@app/contracts';
import { LockoutService } from '../lockout/lockout.service';
import { CallerVerifier } from '../users/caller-verifier';
import { UsersService } from '../users/users.service';
import { TenantAdminsRepository } from './tenant-admins.repository';

/**
 * Operators read who represents a tenant (CASE-1): its admins, as the creation of one answered them,
 * whichever session or operator created them.
 */
@Injectable()
export class TenantAdminsService {
  constructor(
    private readonly callers: CallerVerifier,
    private readonly repository: TenantAdminsRepository,
    private readonly lockout: LockoutService,
  ) {}

  async list(principal: Principal | undefined, tenant: string): Promise<UserView[]> {
    await this.callers.operator(principal);
    const admins = await this.repository.adminsOf(tenant);
    if (!admins) {
      throw new DomainError(ErrorCode.NotFound);
    }
    // The lock state of all of them in one query.
    const locked = await this.lockout.lockedKeys(admins.map((u) => u.userIdKey));
    return admins.map((u) => UsersService.view(u, 'admin', locked.has(u.userIdKey)));
  }
}
