import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { useLocation } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeFetch, renderWithServices } from '../test/render';
import type { AdminUser } from './types';
import { pageOf, readUserListQuery, searchUsers, userListParams } from './user-search';
import { UsersPage } from './users-page';

function user(n: number, overrides: Partial<AdminUser> = {}): AdminUser {
  return {
    id: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
    userId: `user${n}@example.co.jp.fm`,
    email: `user${n}@example.co.jp`,
    familyName: `Family${n}`,
    givenName: null,
    displayName: null,
    title: null,
    phone: null,
    officePhone: null,
    language: 'ja',
    timezone: 'Asia/Tokyo',
    admin: false,
    mfaRequired: false,
    loginDisabled: false,
    locked: false,
    emailUndeliverable: false,
    notificationEmail: null,
    createdAt: '2026-01-01T00:00:00.000Z',
    ...overrides,
  };
}

function Address() {
  const location = useLocation();
  return <output data-testid="address">{location.pathname + location.search}</output>;
}

describe('the user search', () => {
  const users = [
    user(1, { familyName: '山田', givenName: '太郎' }),
    user(2, { familyName: 'Suzuki', phone: '+819012345678' }),
    user(3, { familyName: '山田', givenName: '花子', email: 'hanako@other.example' }),
  ];

  it('matches every word in the ID, names, addresses and phone, ignoring case and width', () => {
    expect(searchUsers(users, '山田').map((u) => u.id)).toEqual([users[0].id, users[2].id]);
    expect(searchUsers(users, '山田 花子').map((u) => u.id)).toEqual([users[2].id]);
    expect(searchUsers(users, 'ＳＵＺＵＫＩ').map((u) => u.id)).toEqual([users[1].id]);
    expect(searchUsers(users, '9012345678').map((u) => u.id)).toEqual([users[1].id]);
    expect(searchUsers(users, '  ')).toHaveLength(3);
  });

  it('reads and writes the search and page of the address, leaving the defaults out', () => {
    expect(readUserListQuery(new URLSearchParams('q=yamada&page=3'))).toEqual({ q: 'yamada', page: 3 });
    expect(readUserListQuery(new URLSearchParams('page=-2'))).toEqual({ q: '', page: 1 });
    expect(userListParams({ q: ' yamada ', page: 1 })).toEqual({ q: 'yamada' });
    expect(userListParams({ q: '', page: 2 })).toEqual({ page: '2' });
  });

  it('pages 20 at a time and keeps a page past the end on the last one', () => {
    const many = Array.from({ length: 45 }, (_, i) => i);
    expect(pageOf(many, 3)).toEqual({ items: [40, 41, 42, 43, 44], page: 3, pages: 3 });
    expect(pageOf(many, 9).page).toBe(3);
    expect(pageOf([], 1)).toEqual({ items: [], page: 1, pages: 1 });
  });
});

describe('UsersPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('puts a search in the address, shows its matches, and pages through them', async () => {
    const users = [
      ...Array.from({ length: 25 }, (_, i) => user(i + 1, { familyName: '山田' })),
      user(99, { familyName: 'Suzuki', locked: true }),
    ];
    const api = fakeFetch((url) =>
      url.endsWith('/admin/users') ? { status: 200, body: users } : { status: 500 },
    );
    vi.stubGlobal('fetch', api.fetch);
    renderWithServices(
      <>
        <UsersPage />
        <Address />
      </>,
      { language: 'en', path: '/admin/users' },
    );
    await screen.findByText('26 users');

    fireEvent.input(screen.getByLabelText('Search (ID, name, e-mail, phone)'), {
      target: { value: 'suzuki' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    await screen.findByText('1 user');
    expect(screen.getByTestId('address').textContent).toBe('/admin/users?q=suzuki');
    const row = screen.getByRole('link', { name: 'Suzuki' }).closest('li') as HTMLElement;
    expect(within(row).getByText('Locked')).toBeTruthy();

    fireEvent.input(screen.getByLabelText('Search (ID, name, e-mail, phone)'), { target: { value: '山田' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    await screen.findByText('25 users');
    expect(screen.getAllByRole('link', { name: '山田' })).toHaveLength(20);
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(screen.getAllByRole('link', { name: '山田' })).toHaveLength(5));
    expect(screen.getByTestId('address').textContent).toBe(
      `/admin/users?q=${encodeURIComponent('山田')}&page=2`,
    );
    // The whole tenant came in one call: searching and paging ask the server nothing more.
    expect(api.calls).toHaveLength(1);
  });
});
