import { Controller } from '@nestjs/common';
import {
  DirectoryMembersPage,
  DirectoryMembersRequest,
  DirectoryUser,
  DirectoryUsersRequest,
  RpcEnvelope,
} from '@app/contracts';
import { RpcHandler } from '@app/messaging';
import { DirectoryRepository, DirectoryRow } from './directory.repository';

/**
 * Names and mail addresses of a tenant's users for the case service, which owns no user data and
 * reads no other service's tables (SPEC §0). Only members of the named tenant are answered, and
 * never a disabled login's address.
 */
@Controller()
export class UserDirectoryController {
  constructor(private readonly directory: DirectoryRepository) {}

  @RpcHandler('auth.directory.tenant_users')
  async tenantUsers({ data }: RpcEnvelope<DirectoryUsersRequest>): Promise<DirectoryUser[]> {
    const byId = data.ids.length > 0;
    const rows = await this.directory.tenantUsers(data.tenant, data.ids, byId);
    return rows.map(toDirectoryUser);
  }

  /**
   * A page of an audience (CASE-11): each user once — with the membership of the first of their
   * tenants in the audience, whose notification address mail goes to — in user id order, so pages
   * are stable while users are added. Only members of the named tenants are answered.
   */
  @RpcHandler('auth.directory.members')
  async members({ data }: RpcEnvelope<DirectoryMembersRequest>): Promise<DirectoryMembersPage> {
    const rows = await this.directory.members(
      data.all === true,
      data.tenants,
      data.after ?? null,
      data.limit,
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
