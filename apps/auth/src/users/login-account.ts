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

/**
 * What the password step's one read also learnt of the account (PasswordStepRepository), so the
 * method offers and the initial-password check spend no round trip of their own.
 */
export interface PreloadedFacts {
  /** An enabled TOTP credential (AUTH-8). */
  totpEnabled: boolean;
  /** The names of the live push approvers, oldest first (AUTH-13). */
  pushApproverNames: string[];
  /** An initial authentication password is set and not yet used (AUTH-14). */
  owesInitialPassword: boolean;
}

/** A user with their tenants: everything the login rules read about an account. */
export interface LoginAccount {
  user: User;
  memberships: AccountMembership[];
  /** Present when the account came from the password step's read; absent elsewhere (ask the tables). */
  preloaded?: PreloadedFacts;
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
