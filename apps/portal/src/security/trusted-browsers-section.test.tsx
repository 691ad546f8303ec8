import { configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StepUpProvider } from '../step-up/step-up';
import { fakeFetch, renderWithServices } from '../test/render';
import { TrustedBrowsersSection } from './trusted-browsers-section';

// The machine running the tests may be busy: a slow render is not a failure.
configure({ asyncUtilTimeout: 5_000 });

const B1 = 'b0000000-0000-4000-8000-000000000001';
const B2 = 'b0000000-0000-4000-8000-000000000002';
const browser = (id: string, name: string) => ({
  id,
  name,
  createdAt: '2026-01-01T00:00:00Z',
  lastUsedAt: null,
  userAgent: 'Mozilla/5.0',
  ip: '203.0.113.9',
  expiresAt: '2026-01-01T08:00:00Z',
});

function setup() {
  let live = [browser(B1, 'Office PC'), browser(B2, 'Home laptop')];
  const api = fakeFetch((url, init) => {
    const path = url.replace('/api/v1', '');
    if (path === '/me/trusted-browsers' && (init.method ?? 'GET') === 'GET') {
      return { status: 200, body: live };
    }
    if (init.method === 'DELETE') {
      const id = path.split('/')[3];
      live = id ? live.filter((b) => b.id !== id) : [];
      return { status: 204 };
    }
    return { status: 200, body: {} };
  });
  vi.stubGlobal('fetch', api.fetch);
  const rendered = renderWithServices(
    <StepUpProvider>
      <TrustedBrowsersSection />
    </StepUpProvider>,
    { language: 'en' },
  );
  rendered.services.session.signIn({ accessToken: 'a', refreshToken: 'r', expiresIn: 900 });
  return api;
}

describe('TrustedBrowsersSection', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('stops trusting one browser after asking, then all the others', async () => {
    const api = setup();
    const list = within(await screen.findByRole('list', { name: 'Your trusted browsers' }));
    const office = within(list.getByText('Office PC').closest('li')!);
    fireEvent.click(office.getByRole('button', { name: 'Stop trusting' }));
    office.getByText('Stop trusting the browser “Office PC”?');
    expect(api.calls.some((c) => c.init.method === 'DELETE')).toBe(false);
    fireEvent.click(office.getByRole('button', { name: 'Stop trusting' }));
    await waitFor(() => expect(screen.queryByText('Office PC')).toBeNull());
    expect(screen.getByText('Home laptop')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Stop trusting all browsers' }));
    fireEvent.click(screen.getByRole('button', { name: 'Stop trusting all browsers' }));
    await screen.findByText('No trusted browser.');
    expect(screen.getByRole('status').textContent).toBe('Trust removed.');
    expect(api.calls.filter((c) => c.init.method === 'DELETE').map((c) => c.url)).toEqual([
      `/api/v1/me/trusted-browsers/${B1}`,
      '/api/v1/me/trusted-browsers',
    ]);
  });
});
