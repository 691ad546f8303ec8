import { LoginAccount } from '../users/login-account';
import { User } from '../users/user.entity';
import { IdentityClaim, identityMismatches, phoneDigits } from './identity-check.util';

function account(overrides: Partial<User> = {}): LoginAccount {
  const user = Object.assign(new User(), {
    email: 'Hanako.Sato@Example.com',
    familyName: '佐藤',
    givenName: '花子',
    phone: '+819012345678',
    ...overrides,
  });
  return {
    user,
    memberships: [
      { tenantNumber: 'N202400003', tenantName: '株式会社サンプル', role: 'user', mfaAlways: false },
      { tenantNumber: 'N202400004', tenantName: 'Example Corporation', role: 'admin', mfaAlways: false },
    ],
  };
}

const right: IdentityClaim = {
  email: 'hanako.sato@example.com',
  familyName: '佐藤',
  givenName: '花子',
  company: '株式会社サンプル',
  phone: '090-1234-5678',
};

describe(identityMismatches.name, () => {
  it('passes when every given field matches, however it is written', () => {
    expect(identityMismatches(account(), right)).toEqual([]);
    expect(
      identityMismatches(account(), {
        email: '  HANAKO.SATO@EXAMPLE.COM ',
        familyName: ' 佐藤 ',
        givenName: '花子',
        company: 'example  corporation',
        phone: '+81 90 1234 5678',
      }),
    ).toEqual([]);
  });

  it('does not check optional fields left out', () => {
    expect(identityMismatches(account(), { ...right, givenName: undefined, phone: undefined })).toEqual([]);
  });

  it('names every field that does not match, and only those', () => {
    expect(
      identityMismatches(account(), {
        email: 'someone@example.com',
        familyName: '鈴木',
        givenName: '一郎',
        company: '別の会社',
        phone: '090-9999-9999',
      }),
    ).toEqual(['email', 'familyName', 'givenName', 'company', 'phone']);
    expect(identityMismatches(account(), { ...right, company: 'N202400003' })).toEqual(['company']);
  });

  it('refuses a phone or given name the account does not have', () => {
    expect(identityMismatches(account({ phone: null }), right)).toEqual(['phone']);
    expect(identityMismatches(account({ givenName: null }), right)).toEqual(['givenName']);
  });

  it('refuses a company when the user belongs to no tenant', () => {
    expect(identityMismatches({ ...account(), memberships: [] }, right)).toEqual(['company']);
  });
});

describe(phoneDigits.name, () => {
  it.each([
    ['+819012345678', '819012345678'],
    ['+81 90-1234-5678', '819012345678'],
    ['090-1234-5678', '819012345678'],
    ['(090) 1234 5678', '819012345678'],
    ['０９０１２３４５６７８', '819012345678'],
  ])('reads %p as %p', (input, digits) => {
    expect(phoneDigits(input)).toBe(digits);
  });
});
