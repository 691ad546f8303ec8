import { act, fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeFetch, renderWithServices } from '../test/render';
import { LoginHistorySection } from './login-history-section';

describe('LoginHistorySection', () => {
  afterEach(() => vi.restoreAllMocks());
  afterEach(() => vi.unstubAllGlobals());

  function setup(session: { status: number; body?: unknown }, path?: string) {
    const api = fakeFetch((url) =>
      url.includes('/files/session') ? session : { status: 200, body: { items: [], total: 0 } },
    );
    vi.stubGlobal('fetch', api.fetch);
    const followed: { href: string; download: string }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      followed.push({ href: this.getAttribute('href') ?? '', download: this.download });
    });
    renderWithServices(<LoginHistorySection path={path} />, { language: 'en' });
    return { api, followed };
  }

  it('opens a files session, then lets the browser follow a plain link to the file', async () => {
    const { api, followed } = setup({ status: 204 }, '/admin/login-history');
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Download XLSX' })));
    expect(followed).toEqual([
      { href: '/api/v1/admin/login-history?format=xlsx', download: 'login-history.xlsx' },
    ]);
    // The page came through fetch, the session too; the file never does (no blob in memory).
    expect(api.calls.map((c) => [c.init.method, c.url.split('?')[0]])).toEqual([
      ['GET', '/api/v1/admin/login-history'],
      ['POST', '/api/v1/files/session'],
    ]);
    expect(api.calls[0].url).toContain('format=json');
  });

  it('shows the error and follows no link when the session cannot be opened', async () => {
    const { followed } = setup({
      status: 503,
      body: { error: { code: 'service_unavailable', message: 'Try again shortly.' } },
    });
    await act(async () => fireEvent.click(screen.getByRole('button', { name: 'Download CSV' })));
    // The error's body is read from a Response stream, which may take more than act's microtasks.
    expect((await screen.findByRole('alert')).textContent).toBe('Try again shortly.');
    expect(followed).toEqual([]);
  });
});
