import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeFetch, renderWithServices } from '../test/render';
import { AnnouncementBanner, currentBanners, type Announcement } from './announcements';

const announcement = (id: string, changes: Partial<Announcement> = {}): Announcement => ({
  id,
  title: `Maintenance ${id}`,
  body: '<p>Body</p>',
  banner: true,
  from: '2026-01-01T00:00:00Z',
  to: '2026-12-31T00:00:00Z',
  dismissed: false,
  ...changes,
});

function signedIn(services: ReturnType<typeof renderWithServices>['services']) {
  act(() =>
    services.session.signIn({
      accessToken: 'token',
      refreshToken: 'refresh',
      expiresIn: 900,
      tenants: [{ number: 'N1', name: 'Customer', role: 'user' }],
      activeTenant: 'N1',
    }),
  );
}

describe('AnnouncementBanner', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows current banners not yet dismissed, and dismisses one for good', async () => {
    const api = fakeFetch((url, init) => {
      if (url === '/api/v1/announcements') {
        return {
          status: 200,
          body: [
            announcement('a1', { article: 'KB0000001' }),
            announcement('a2', { dismissed: true }),
            announcement('a3', { banner: false }),
          ],
        };
      }
      if (url === '/api/v1/announcements/a1/dismiss' && init.method === 'POST') {
        return { status: 204 };
      }
      return { status: 404 };
    });
    vi.stubGlobal('fetch', api.fetch);
    const { services } = renderWithServices(<AnnouncementBanner />, { language: 'en' });
    signedIn(services);

    await screen.findByText('Maintenance a1');
    expect(screen.queryByText('Maintenance a2')).toBeNull();
    expect(screen.queryByText('Maintenance a3')).toBeNull();
    expect(screen.getByRole('link', { name: 'Read more' }).getAttribute('href')).toBe('/knowledge/KB0000001');

    fireEvent.click(screen.getByRole('button', { name: 'Close the announcement “Maintenance a1”' }));
    await waitFor(() => expect(screen.queryByText('Maintenance a1')).toBeNull());
    expect(api.calls.some((c) => c.url === '/api/v1/announcements/a1/dismiss')).toBe(true);
    expect(api.calls.find((c) => c.url.endsWith('/dismiss'))?.init.headers).toMatchObject({
      Authorization: 'Bearer token',
    });
    services.session.signOut();
  });

  it('asks nothing before a tenant is chosen', () => {
    const api = fakeFetch(() => ({ status: 200, body: [announcement('a1')] }));
    vi.stubGlobal('fetch', api.fetch);
    renderWithServices(<AnnouncementBanner />, { language: 'en' });
    expect(api.calls).toHaveLength(0);
    expect(screen.queryByRole('region')).toBeNull();
  });
});

describe('currentBanners', () => {
  it('keeps banners the user has not dismissed', () => {
    expect(
      currentBanners([
        announcement('a'),
        announcement('b', { dismissed: true }),
        announcement('c', { banner: false }),
      ]).map((a) => a.id),
    ).toEqual(['a']);
    expect(currentBanners(undefined)).toEqual([]);
  });
});
