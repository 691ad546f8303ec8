import { describe, expect, it } from 'vitest';
import { landingPath } from './after-sign-in';

/** An unsigned token with these claims: the portal reads the role only to choose its screens. */
function token(claims: Record<string, unknown>): string {
  const part = (value: object) =>
    btoa(JSON.stringify(value)).replace(/=+$/, '').replace(/\+/g, '-').replace(/\//g, '_');
  return `${part({ alg: 'ES256' })}.${part(claims)}.sig`;
}

describe('landingPath', () => {
  const membership = { number: 'N202400003', name: 'Customer', role: 'user' };

  it('sends an operator to the operator area', () => {
    expect(
      landingPath({
        accessToken: token({ role: 'operator', tenant: null }),
        activeTenant: null,
        tenants: [],
      }),
    ).toBe('/ops');
  });

  it('sends a tenant user to the account, or to the picker while a tenant must be chosen', () => {
    const user = token({ role: 'user', tenant: 'N202400003' });
    expect(landingPath({ accessToken: user, activeTenant: 'N202400003', tenants: [membership] })).toBe(
      '/account',
    );
    expect(
      landingPath({
        accessToken: token({ role: 'admin', tenant: null }),
        activeTenant: null,
        tenants: [membership, membership],
      }),
    ).toBe('/select-tenant');
    expect(landingPath({ accessToken: 'not-a-token', activeTenant: null, tenants: [] })).toBe('/account');
  });
});
