import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeFetch, renderWithServices } from '../test/render';
import { CaseListPage } from './case-list-page';
import type { CaseSummary } from './types';

const row = (n: number): CaseSummary => ({
  number: `CS${String(n).padStart(7, '0')}`,
  tenant: 'N1',
  contractor: 'Customer Ltd',
  service: 'edr',
  category: 'fault',
  subject: `Subject ${n}`,
  description: '<p>x</p>',
  requester: { id: 'u1', name: 'Hanako' },
  watchers: [],
  status: 'new',
  statusLabel: 'New',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-02T00:00:00Z',
  availableActions: ['comment', 'attach', 'close'],
  statusMessage: 'received',
});

function setup(total: number, totalIsExact = true) {
  const api = fakeFetch((url) => {
    const path = url.split('?')[0];
    if (path === '/api/v1/cases') {
      const page = Number(new URL(url, 'http://x').searchParams.get('page'));
      return { status: 200, body: { items: [row(page)], total, totalIsExact, page, pageSize: 20 } };
    }
    if (path === '/api/v1/service-settings') {
      return {
        status: 200,
        body: [
          {
            id: 's',
            contractor: 'C',
            customerNumber: 'N1',
            service: 'EDR',
            serviceCode: 'edr',
            startDate: '2026-01-01',
          },
        ],
      };
    }
    return { status: 200, body: [] };
  });
  vi.stubGlobal('fetch', api.fetch);
  renderWithServices(<CaseListPage />, { language: 'en', path: '/cases' });
  const caseCalls = () =>
    api.calls
      .filter((c) => c.url.startsWith('/api/v1/cases'))
      .map((c) => new URL(c.url, 'http://x').searchParams);
  return { caseCalls };
}

describe('CaseListPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows the total, pages through it, and names the service', async () => {
    const { caseCalls } = setup(45);
    await screen.findByRole('heading', { name: '45 cases' }, { timeout: 5_000 });
    expect(screen.getByText('Page 1 of 3')).toBeTruthy();
    await screen.findByRole('cell', { name: 'EDR' });
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await screen.findByText('Page 2 of 3');
    await screen.findByRole('link', { name: 'CS0000002' });
    expect(caseCalls().at(-1)?.get('page')).toBe('2');
  });

  it('shows 10,000+ when the total is capped', async () => {
    setup(10_000, false);
    await screen.findByRole('heading', { name: '10,000+ cases' });
  });

  it('sorts by a column heading, newest update first by default', async () => {
    const { caseCalls } = setup(1);
    await screen.findByRole('heading', { name: '1 case' });
    expect(caseCalls()[0].has('sort')).toBe(false);
    const updated = screen.getByRole('columnheader', { name: /Updated/ });
    expect(updated.getAttribute('aria-sort')).toBe('descending');

    fireEvent.click(screen.getByRole('button', { name: /^Subject/ }));
    await waitFor(() => expect(caseCalls().at(-1)?.get('sort')).toBe('subject'));
    expect(screen.getByRole('columnheader', { name: /Subject/ }).getAttribute('aria-sort')).toBe('ascending');
    fireEvent.click(screen.getByRole('button', { name: /^Number/ }), { shiftKey: true });
    await waitFor(() => expect(caseCalls().at(-1)?.get('sort')).toBe('subject,number'));
  });

  it('switches views and searches by keyword and number', async () => {
    const { caseCalls } = setup(1);
    await screen.findByRole('heading', { name: '1 case' });
    fireEvent.click(screen.getByRole('button', { name: 'Action required' }));
    await waitFor(() => expect(caseCalls().at(-1)?.get('view')).toBe('action_required'));
    fireEvent.change(screen.getByLabelText('Keyword (subject, description, comments)'), {
      target: { value: 'v' },
    });
    expect(screen.getByText('Enter at least 2 characters.')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Keyword (subject, description, comments)'), {
      target: { value: 'ログ' },
    });
    fireEvent.change(screen.getByLabelText('Case number'), { target: { value: 'cs12' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    await waitFor(() => expect(caseCalls().at(-1)?.get('q')).toBe('ログ'));
    expect(caseCalls().at(-1)?.get('number')).toBe('CS12');
    expect(caseCalls().at(-1)?.get('view')).toBe('action_required');
  });
});
