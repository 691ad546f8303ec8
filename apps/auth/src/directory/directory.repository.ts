import { Injectable } from '@nestjs/common';
import { DataSource, EntityManager } from 'typeorm';
import { Language } from '@app/contracts';
import { User } from '../users/user.entity';

/** A user with one membership, as the directory answers them. */
export interface DirectoryRow {
  id: string;
  family_name: string;
  given_name: string | null;
  display_name: string | null;
  language: Language;
  email: string;
  notification_email: string | null;
  role: string;
}

/** The directory's reads of users and memberships, and the bounce mark (SPEC §0, NOTIF-6). */
@Injectable()
export class DirectoryRepository {
  constructor(private readonly dataSource: DataSource) {}

  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /**
   * The tenant's enabled users: those of `ids` when `byId`, else its admins; in user id order.
   */
  tenantUsers(tenant: string, ids: string[], byId: boolean): Promise<DirectoryRow[]> {
    return this.dataSource.query(
      `SELECT u.id, u.family_name, u.given_name, u.display_name, u.language, u.email,
              m.notification_email, m.role
         FROM auth.membership m JOIN auth.app_user u ON u.id = m.user_id
        WHERE m.tenant_number = $1 AND NOT u.login_disabled
          AND (CASE WHEN $3 THEN u.id = ANY($2::uuid[]) ELSE m.role = 'admin' END)
        ORDER BY u.id`,
      [tenant, ids, byId],
    );
  }

  /**
   * Up to `limit` enabled members of `tenants` (of every tenant when `all`) after user `after`,
   * each user once with their first membership among them, in user id order.
   */
  members(
    all: boolean,
    tenants: string[],
    after: string | null,
    limit: number,
  ): Promise<(DirectoryRow & { tenant_number: string })[]> {
    return this.dataSource.query(
      `SELECT DISTINCT ON (u.id) u.id, u.family_name, u.given_name, u.display_name, u.language, u.email,
              m.notification_email, m.role, m.tenant_number
         FROM auth.membership m JOIN auth.app_user u ON u.id = m.user_id
        WHERE NOT u.login_disabled AND ($1 OR m.tenant_number = ANY($2::text[]))
          AND ($3::uuid IS NULL OR u.id > $3::uuid)
        ORDER BY u.id, m.tenant_number
        LIMIT $4`,
      [all, tenants, after, limit],
    );
  }

  /** The user's row, locked until the transaction ends; null for an unknown id. */
  lockUser(manager: EntityManager, id: string): Promise<User | null> {
    return manager.findOne(User, { where: { id }, lock: { mode: 'pessimistic_write' } });
  }

  async markEmailUndeliverable(manager: EntityManager, id: string, now: Date): Promise<void> {
    await manager.update(User, { id }, { emailUndeliverable: true, updatedAt: now });
  }
}
