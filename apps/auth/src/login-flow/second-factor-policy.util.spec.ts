import { User } from '../users/user.entity';
import { AccountMembership, LoginAccount } from './login-account';
import { secondFactorReasons } from './second-factor-policy.util';

function account(user: Partial<User>, memberships: Partial<AccountMembership>[] = []): LoginAccount {
  return {
    user: { isOperator: false, mfaRequired: false, ...user } as User,
    memberships: memberships.map((m) => ({
      tenantNumber: 'N1',
      tenantName: 'T',
      role: 'user',
      mfaAlways: false,
      ...m,
    })),
  };
}

describe(secondFactorReasons.name, () => {
  it('owes nothing for a plain user in a tenant without the "always" policy', () => {
    expect(secondFactorReasons(account({}, [{}]))).toEqual([]);
  });
  it('always asks operators', () => {
    expect(secondFactorReasons(account({ isOperator: true }))).toEqual(['operator']);
  });
  it('asks an admin of any one tenant, even when a plain user elsewhere', () => {
    expect(
      secondFactorReasons(account({}, [{ tenantNumber: 'N1' }, { tenantNumber: 'N2', role: 'admin' }])),
    ).toEqual(['tenant_admin']);
  });
  it('asks users who turned MFA on', () => {
    expect(secondFactorReasons(account({ mfaRequired: true }))).toEqual(['user_mfa']);
  });
  it('asks everyone in a tenant whose policy is "always"', () => {
    expect(secondFactorReasons(account({}, [{ mfaAlways: true }]))).toEqual(['tenant_policy']);
  });
  it('lists every reason that applies', () => {
    expect(secondFactorReasons(account({ mfaRequired: true }, [{ role: 'admin', mfaAlways: true }]))).toEqual(
      ['tenant_admin', 'user_mfa', 'tenant_policy'],
    );
  });
});
