import { AccountMembership, LoginAccount } from '../users/login-account';
import { User } from '../users/user.entity';
import { initialTenant, roleIn, stillMemberOf } from './token-claims.util';

function account(
  isOperator: boolean,
  memberships: Pick<AccountMembership, 'tenantNumber' | 'role'>[],
): LoginAccount {
  return {
    user: { isOperator } as User,
    memberships: memberships.map((m) => ({ ...m, tenantName: m.tenantNumber, mfaAlways: false })),
  };
}

describe('token claims (AUTH-18)', () => {
  it('starts a user of exactly one tenant in that tenant', () => {
    expect(initialTenant(account(false, [{ tenantNumber: 'N1', role: 'admin' }]))).toBe('N1');
  });
  it('leaves the choice to a user of several tenants', () => {
    expect(
      initialTenant(
        account(false, [
          { tenantNumber: 'N1', role: 'user' },
          { tenantNumber: 'N2', role: 'user' },
        ]),
      ),
    ).toBeNull();
  });
  it('gives operators no tenant and the operator role', () => {
    const op = account(true, [{ tenantNumber: 'N1', role: 'admin' }]);
    expect(initialTenant(op)).toBeNull();
    expect(roleIn(op, null)).toBe('operator');
    expect(stillMemberOf(op, 'N1')).toBeNull();
  });
  it('takes the role of the active tenant, "user" without one', () => {
    const a = account(false, [
      { tenantNumber: 'N1', role: 'user' },
      { tenantNumber: 'N2', role: 'admin' },
    ]);
    expect(roleIn(a, 'N2')).toBe('admin');
    expect(roleIn(a, 'N1')).toBe('user');
    expect(roleIn(a, null)).toBe('user');
  });
  it('drops an active tenant the user no longer belongs to', () => {
    const a = account(false, [{ tenantNumber: 'N1', role: 'user' }]);
    expect(stillMemberOf(a, 'N1')).toBe('N1');
    expect(stillMemberOf(a, 'N9')).toBeNull();
  });
});
