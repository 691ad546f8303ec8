import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { Tenant } from '../tenants/tenant.entity';
import { User } from '../users/user.entity';

/** The reads of a tenant's representative admins for operators (CASE-1). */
@Injectable()
export class TenantAdminsRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** The admins of `tenant` in the order they became its admins; undefined when there is no such tenant. */
  async adminsOf(tenant: string): Promise<User[] | undefined> {
    if (!(await this.dataSource.manager.existsBy(Tenant, { number: tenant }))) {
      return undefined;
    }
    return this.dataSource.manager
      .createQueryBuilder(User, 'u')
      .innerJoin('u.memberships', 'm', 'm.tenant_number = :tenant AND m.role = :role', {
        tenant,
        role: 'admin',
      })
      .orderBy('m.created_at')
      .addOrderBy('u.id')
      .getMany();
  }
}
