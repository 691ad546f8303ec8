import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeFetch, renderWithServices } from '../test/render';
import { AuditEventsPage } from './audit-events-page';
import { auditFilterSchema, auditQuery, NO_FILTERS } from './audit-filters';

describe('the audit filters', () => {
  it('leave empty filters out and send the local times as instants', () => {
    expect(auditQuery(NO_FILTERS)).toEqual({});
    const query = auditQuery({
      ...NO_FILTERS,
      type: ' auth.user ',
      outcome: 'denied',
      from: '2026-04-01T09:00',
    });
    expect(query).toEqual({
      type: 'auth.user',
      outcome: 'denied',
      from: new Date('2026-04-01T09:00').toISOString(),
    });
  });

  it('take a type or its start in the form the API accepts', () => {
    const type = (value: string) => auditFilterSchema.safeParse({ ...NO_FILTERS, type: value }).success;
    expect(type('auth.user')).toBe(true);
    expect(type('auth.login.*')).toBe(true);
    expect(type('Auth User')).toBe(false);
    expect(type('auth.*.created')).toBe(false);
  });
});

const EVENT = (n: number) => ({
  id: `e${n}`,
  type: 'auth.user.created',
  occurredAt: '2026-04-01T00:00:00.000Z',
  actor: { userId: 'u1' },
  target: { type: 'user', id: 'u2' },
  outcome: 'success',
  correlationId: `c${n}`,
  seq: n,
});

describe('AuditEventsPage', () => {
  afterEach(() => vi.unstubAllGlobals());
  afterEach(() => vi.restoreAllMocks());

  it('exports the filtered events through the files session and a plain link, never into a blob', async () => {
    const api = fakeFetch((url) =>
      url.includes('/files/session') ? { status: 204 } : { status: 200, body: [] },
    );
    vi.stubGlobal('fetch', api.fetch);
    const followed: { href: string; download: string }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      followed.push({ href: this.getAttribute('href') ?? '', download: this.download });
    });
    renderWithServices(<AuditEventsPage />, { language: 'en' });
    await screen.findByText('No events match.');
    fireEvent.change(screen.getByLabelText('Outcome'), { target: { value: 'denied' } });
    fireEvent.click(screen.getByRole('button', { name: 'Filter' }));
    await waitFor(() => expect(api.calls.some((c) => c.url.includes('outcome=denied'))).toBe(true));
    fireEvent.click(screen.getByRole('button', { name: 'Export CSV' }));
    await waitFor(() => expect(followed).toHaveLength(1));
    expect(followed[0]).toEqual({
      href: '/api/v1/admin/audit-events?outcome=denied&format=csv',
      download: 'audit-events.csv',
    });
    const session = api.calls.filter((c) => c.init.method === 'POST');
    expect(session.map((c) => c.url)).toEqual(['/api/v1/files/session']);
    // Only the session went through fetch: the file itself never does.
    expect(api.calls.filter((c) => c.url.includes('format='))).toEqual([]);
  });

  it("follows the API's cursor to the next page, keeps the filters with it, and comes back", async () => {
    const calls: string[] = [];
    vi.stubGlobal('fetch', (url: string) => {
      calls.push(url);
      if (url.includes('/admin/users')) {
        const users = [
          { id: 'u1', userId: 'admin@example.fm' },
          { id: 'u2', userId: 'new@example.fm' },
        ];
        return Promise.resolve(new Response(JSON.stringify(users), { status: 200 }));
      }
      const second = url.includes('cursor=c-2');
      return Promise.resolve(
        new Response(JSON.stringify(second ? [EVENT(2)] : [EVENT(1)]), {
          status: 200,
          headers: second ? {} : { 'X-Next-Cursor': 'c-2' },
        }),
      );
    });
    renderWithServices(<AuditEventsPage />, { language: 'en' });
    await screen.findAllByText('User created');
    await screen.findByRole('cell', { name: 'new@example.fm' });
    expect(screen.getByRole('cell', { name: 'admin@example.fm' })).toBeTruthy();

    fireEvent.input(screen.getByLabelText('Type (or its start, e.g. auth.user)'), {
      target: { value: 'auth.user' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Filter' }));
    await waitFor(() =>
      expect(calls.some((u) => u.includes('type=auth.user') && !u.includes('cursor'))).toBe(true),
    );

    fireEvent.click(await screen.findByRole('button', { name: 'Next page' }));
    await screen.findByRole('heading', { name: 'Page 2' });
    const next = calls.find((u) => u.includes('cursor=c-2'));
    expect(next).toContain('type=auth.user');
    await waitFor(() =>
      expect((screen.getByRole('button', { name: 'Next page' }) as HTMLButtonElement).disabled).toBe(true),
    );

    fireEvent.click(screen.getByRole('button', { name: 'Previous' }));
    await screen.findByRole('heading', { name: 'Page 1' });
  });
});
