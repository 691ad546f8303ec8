import { Controller } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  DirectoryMembersPage,
  DirectoryMembersRequest,
  DirectoryUser,
  DirectoryUsersRequest,
  Language,
  RpcEnvelope,
} from '@app/contracts';
import { RpcHandler } from '@app/messaging';

interface DirectoryRow {
  id: string;
  family_name: string;
  given_name: string | null;
  display_name: string | null;
  language: Language;
  email: string;
  notification_email: string | null;
  role: string;
}

/**
 * Names and mail addresses of a tenant's users for the case service, which owns no user data and
 * reads no other service's tables (SPEC §0). Only members of the named tenant are answered, and
 * never a disabled login's address.
 */
@Controller()
export class UserDirectoryController {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  @RpcHandler('auth.directory.tenant_users')
  async tenantUsers({ data }: RpcEnvelope<DirectoryUsersRequest>): Promise<DirectoryUser[]> {
    const byId = data.ids.length > 0;
    const rows: DirectoryRow[] = await this.dataSource.query(
      `SELECT u.id, u.family_name, u.given_name, u.display_name, u.language, u.email,
              m.notification_email, m.role
         FROM auth.membership m JOIN auth.app_user u ON u.id = m.user_id
        WHERE m.tenant_number = $1 AND NOT u.login_disabled
          AND (CASE WHEN $3 THEN u.id = ANY($2::uuid[]) ELSE m.role = 'admin' END)
        ORDER BY u.id`,
      [data.tenant, data.ids, byId],
    );
    return rows.map(toDirectoryUser);
  }

  /**
   * A page of an audience (CASE-11): each user once — with the membership of the first of their
   * tenants in the audience, whose notification address mail goes to — in user id order, so pages
   * are stable while users are added. Only members of the named tenants are answered.
   */
  @RpcHandler('auth.directory.members')
  async members({ data }: RpcEnvelope<DirectoryMembersRequest>): Promise<DirectoryMembersPage> {
    const rows: (DirectoryRow & { tenant_number: string })[] = await this.dataSource.query(
      `SELECT DISTINCT ON (u.id) u.id, u.family_name, u.given_name, u.display_name, u.language, u.email,
              m.notification_email, m.role, m.tenant_number
         FROM auth.membership m JOIN auth.app_user u ON u.id = m.user_id
        WHERE NOT u.login_disabled AND ($1 OR m.tenant_number = ANY($2::text[]))
          AND ($3::uuid IS NULL OR u.id > $3::uuid)
        ORDER BY u.id, m.tenant_number
        LIMIT $4`,
      [data.all === true, data.tenants, data.after ?? null, data.limit],
    );
    return {
      members: rows.map((r) => ({ ...toDirectoryUser(r), tenant: r.tenant_number })),
      next: rows.length === data.limit ? rows[rows.length - 1].id : null,
    };
  }
}

function toDirectoryUser(r: DirectoryRow): DirectoryUser {
  return {
    id: r.id,
    name: r.display_name ?? [r.family_name, r.given_name].filter(Boolean).join(' '),
    language: r.language,
    // AUTH-7: the tenant's notification address for the user replaces the contact address.
    emails: [r.notification_email ?? r.email],
    admin: r.role === 'admin',
  };
}
