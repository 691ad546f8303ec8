import { describe, expect, it, vi } from 'vitest';
import type { Tokens } from '../api/types';
import { SessionStore } from './session-store';

const tokens = (n: number): Tokens => ({
  accessToken: `access-${n}`,
  refreshToken: `refresh-${n}`,
  expiresIn: 900,
  tenants: [{ number: 'N1', name: 'One', role: 'admin' }],
  activeTenant: 'N1',
});

describe(SessionStore.name, () => {
  it('renews once for any number of callers, because a refresh token works only once', async () => {
    let n = 1;
    const refresh = vi.fn(async (_token: string) => tokens(++n));
    const sut = new SessionStore(refresh);
    sut.signIn(tokens(1));

    const results = await Promise.all([sut.renew(), sut.renew(), sut.renew()]);
    expect(results).toEqual([true, true, true]);
    expect(refresh).toHaveBeenCalledTimes(1);
    expect(refresh).toHaveBeenCalledWith('refresh-1');
    expect(sut.accessToken).toBe('access-2');

    await sut.renew();
    expect(refresh).toHaveBeenLastCalledWith('refresh-2');
  });

  it('ends the session when the server refuses the refresh token', async () => {
    const sut = new SessionStore(() => Promise.reject(new Error('refresh_token_reused')));
    sut.signIn(tokens(1));
    const seen: boolean[] = [];
    sut.subscribe(() => seen.push(sut.snapshot().signedIn));

    expect(await sut.renew()).toBe(false);
    expect(sut.accessToken).toBeUndefined();
    expect(sut.snapshot()).toEqual({ signedIn: false, tenants: [], activeTenant: null });
    expect(seen).toEqual([false]);
  });

  it('keeps the tenant list when a renewal answer leaves it out', () => {
    const sut = new SessionStore(() => Promise.reject(new Error('unused')));
    sut.signIn(tokens(1));
    sut.signIn({ accessToken: 'a', refreshToken: 'r', expiresIn: 900 });
    expect(sut.snapshot()).toMatchObject({ activeTenant: 'N1', tenants: [{ number: 'N1' }] });
    sut.signOut();
  });
});
