import { act, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { renderWithServices } from '../test/render';
import { OpsNavLink } from './ops-layout';
import { roleOf } from './use-operator';

/** An unsigned token of the access token's shape (base64url of UTF-8 JSON); only the role is read. */
function token(claims: Record<string, unknown>): string {
  const part = (value: unknown) => {
    const bytes = new TextEncoder().encode(JSON.stringify(value));
    return btoa(String.fromCharCode(...bytes))
      .replace(/=+$/, '')
      .replace(/\+/g, '-')
      .replace(/\//g, '_');
  };
  return `${part({ alg: 'EdDSA' })}.${part(claims)}.signature`;
}

describe('operator navigation', () => {
  it('reads the role from the access token, and nothing from a token that is not one', () => {
    expect(roleOf(token({ sub: 'u', role: 'operator', name: 'ｵﾍﾟﾚｰﾀｰ?' }))).toBe('operator');
    expect(roleOf(token({ sub: 'u', role: 'admin' }))).toBe('admin');
    expect(roleOf('not-a-token')).toBeUndefined();
    expect(roleOf(undefined)).toBeUndefined();
  });

  it("shows the operations link to an operator's session only", () => {
    const { services } = renderWithServices(<OpsNavLink />, { language: 'en' });
    expect(screen.queryByRole('link', { name: 'Operations' })).toBeNull();
    act(() =>
      services.session.signIn({ accessToken: token({ role: 'admin' }), refreshToken: 'r', expiresIn: 900 }),
    );
    expect(screen.queryByRole('link', { name: 'Operations' })).toBeNull();
    act(() =>
      services.session.signIn({
        accessToken: token({ role: 'operator' }),
        refreshToken: 'r',
        expiresIn: 900,
      }),
    );
    expect(screen.getByRole('link', { name: 'Operations' }).getAttribute('href')).toBe('/ops');
    act(() => services.session.signOut());
    expect(screen.queryByRole('link', { name: 'Operations' })).toBeNull();
  });
});
