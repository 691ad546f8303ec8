import { User } from '../users/user.entity';
import { AccountMembership, LoginAccount } from '../users/login-account';
import { RiskVerdict } from './risk-verdict.util';
import { secondFactorDecision, secondFactorReasons } from './second-factor-policy.util';

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

describe(secondFactorDecision.name, () => {
  const calm: RiskVerdict = { outcome: 'allow', score: 1, reasons: ['new_network'] };
  const wary: RiskVerdict = { outcome: 'second_factor', score: 3, reasons: ['new_device', 'new_network'] };
  const alarmed: RiskVerdict = {
    outcome: 'deny',
    score: 8,
    reasons: ['impossible_travel', 'recent_failures'],
  };

  it('lets a user in when neither the policy nor the risk check asks, a weak finding included', () => {
    expect(secondFactorDecision([], calm, null)).toEqual({ outcome: 'allow', reasons: [] });
  });

  it('asks when the policy does', () => {
    expect(secondFactorDecision(['user_mfa'], calm, null)).toEqual({
      outcome: 'second_factor',
      reasons: ['user_mfa'],
    });
  });

  it('asks a user without MFA when the risk check does, with its reason codes', () => {
    expect(secondFactorDecision([], wary, null)).toEqual({
      outcome: 'second_factor',
      reasons: ['new_device', 'new_network'],
    });
    expect(secondFactorDecision(['tenant_admin'], wary, null).reasons).toEqual([
      'tenant_admin',
      'new_device',
      'new_network',
    ]);
  });

  it('lets a trusted browser skip what the policy owes, operators and admins included', () => {
    expect(secondFactorDecision(['operator'], calm, 'b1')).toEqual({
      outcome: 'allow',
      reasons: [],
      trustedBrowserId: 'b1',
    });
  });

  it('does not let a trusted browser skip what the risk check asks for', () => {
    expect(secondFactorDecision(['user_mfa'], wary, 'b1')).toEqual({
      outcome: 'second_factor',
      reasons: ['user_mfa', 'new_device', 'new_network'],
    });
  });

  it('denies when the risk check denies, whatever else holds', () => {
    expect(secondFactorDecision(['user_mfa'], alarmed, 'b1')).toEqual({
      outcome: 'deny',
      reasons: ['impossible_travel', 'recent_failures'],
    });
  });
});
