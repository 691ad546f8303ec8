import { AccountMembership, LoginAccount } from './login-account';
import { User } from './user.entity';
import { codeEmailRecipients, contactAddresses } from './email-recipients.util';

function account(email: string, memberships: Partial<AccountMembership>[] = []): LoginAccount {
  return {
    user: { id: 'u1', email } as User,
    memberships: memberships.map((m, i) => ({
      tenantNumber: `T${i + 1}`,
      tenantName: `Tenant ${i + 1}`,
      role: 'user',
      mfaAlways: false,
      ...m,
    })),
  };
}

describe(codeEmailRecipients.name, () => {
  it('sends to the notification address only, when the tenant admin set one (AUTH-7)', () => {
    const a = account('own@example.com', [{ notificationEmail: 'desk@example.com' }]);
    expect(codeEmailRecipients(a)).toEqual(['desk@example.com']);
  });

  it('sends to every contact address of the account when none is set', () => {
    expect(codeEmailRecipients(account('own@example.com', [{ notificationEmail: null }]))).toEqual([
      'own@example.com',
    ]);
    expect(codeEmailRecipients(account('own@example.com', [{}]))).toEqual(['own@example.com']);
  });

  it('lets the named tenant decide (a step-up in a session with an active tenant)', () => {
    const a = account('own@example.com', [
      { tenantNumber: 'A', notificationEmail: 'desk-a@example.com' },
      { tenantNumber: 'B', notificationEmail: null },
    ]);
    expect(codeEmailRecipients(a, 'A')).toEqual(['desk-a@example.com']);
    expect(codeEmailRecipients(a, 'B')).toEqual(['own@example.com']);
  });

  it('without a tenant, a user in several tenants gets codes at the account contacts only', () => {
    const a = account('own@example.com', [
      { tenantNumber: 'A', notificationEmail: 'desk-a@example.com' },
      { tenantNumber: 'B', notificationEmail: null },
      { tenantNumber: 'C', notificationEmail: 'desk-c@example.com' },
    ]);
    expect(codeEmailRecipients(a)).toEqual(['own@example.com']);
    expect(codeEmailRecipients(a, null)).toEqual(['own@example.com']);
  });

  it('lists an address once, whatever its case', () => {
    const a = account('Own@Example.com', [{ tenantNumber: 'A', notificationEmail: 'OWN@example.com' }]);
    expect(codeEmailRecipients(a, 'A')).toEqual(['OWN@example.com']);
  });

  it('uses the contact addresses for an account without tenants (an operator), or a tenant it is not in', () => {
    expect(codeEmailRecipients(account('op@example.com'))).toEqual(['op@example.com']);
    const a = account('own@example.com', [{ tenantNumber: 'A', notificationEmail: 'desk@example.com' }]);
    expect(codeEmailRecipients(a, 'Z')).toEqual(['own@example.com']);
  });

  it('gives no address when the account has none and no notification address is set', () => {
    expect(codeEmailRecipients(account('', [{}]))).toEqual([]);
    expect(contactAddresses(account(''))).toEqual([]);
  });
});
