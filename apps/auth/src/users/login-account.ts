import { AuditActor, TenantMembershipView } from '@app/contracts';
import { User } from './user.entity';

/** One tenant of a user as login needs it: the role there and the tenant's own policy (AUTH-5, AUTH-18). */
export interface AccountMembership {
  tenantNumber: string;
  tenantName: string;
  role: 'admin' | 'user';
  /** The tenant requires the second step of everyone (AUTH-5). */
  mfaAlways: boolean;
  /** AUTH-7: the address this tenant's admin set for the user's codes; absent or null when none. */
  notificationEmail?: string | null;
}

/** A user with their tenants: everything the login rules read about an account. */
export interface LoginAccount {
  user: User;
  memberships: AccountMembership[];
}

/** Every tenant a fact about this account concerns, so each tenant's admins see it in the audit trail. */
export function tenantNumbers(account: LoginAccount | null): string[] {
  return account ? account.memberships.map((m) => m.tenantNumber) : [];
}

/** Audit actor of an account: its internal id only, never its login ID, e-mail or phone (AUDIT-2). */
export function auditActor(account: LoginAccount | null, tenant?: string | null): AuditActor {
  if (!account) {
    return {};
  }
  return tenant ? { userId: account.user.id, tenant } : { userId: account.user.id };
}

export function membershipViews(account: LoginAccount): TenantMembershipView[] {
  return account.memberships.map((m) => ({ number: m.tenantNumber, name: m.tenantName, role: m.role }));
}
