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

  it("reads the tenant an operator chose, takes the user's internal ID typed, and exports that tenant", async () => {
    const api = fakeFetch((url) =>
      url.includes('/files/session') ? { status: 204 } : { status: 200, body: [EVENT(1)] },
    );
    vi.stubGlobal('fetch', api.fetch);
    const followed: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      followed.push(this.getAttribute('href') ?? '');
    });
    renderWithServices(<AuditEventsPage scope={{ path: '/ops/audit-events', tenant: 'N202400003' }} />, {
      language: 'en',
    });
    await screen.findByRole('heading', { name: 'Audit log of N202400003' });
    await screen.findAllByText('User created');
    // The actor is shown as the event holds it: an operator has no user list of the tenant.
    expect(screen.getAllByRole('cell', { name: 'u1' }).length).toBeGreaterThan(0);
    expect(api.calls.some((c) => c.url.includes('/admin/'))).toBe(false);

    const actor = screen.getByLabelText("Done by (the user's internal ID)");
    fireEvent.input(actor, { target: { value: 'not an id!' } });
    fireEvent.click(screen.getByRole('button', { name: 'Filter' }));
    await screen.findByText('Use the internal ID (letters, digits and "-", at most 64).');
    fireEvent.input(actor, { target: { value: ' 6f1c2a9e-0000-4000-8000-000000000001 ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Filter' }));
    await waitFor(() =>
      expect(
        api.calls.some(
          (c) =>
            c.url.startsWith('/api/v1/ops/audit-events?') &&
            c.url.includes('tenant=N202400003') &&
            c.url.includes('userId=6f1c2a9e-0000-4000-8000-000000000001'),
        ),
      ).toBe(true),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Export PDF' }));
    await waitFor(() => expect(followed).toHaveLength(1));
    expect(followed[0]).toBe(
      '/api/v1/ops/audit-events?userId=6f1c2a9e-0000-4000-8000-000000000001&tenant=N202400003&format=pdf',
    );
  });
});
