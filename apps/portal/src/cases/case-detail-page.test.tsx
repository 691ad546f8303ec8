import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeFetch, renderWithServices } from '../test/render';
import { CaseDetailPage } from './case-detail-page';
import type { CaseDetail } from './types';

const resolved: CaseDetail = {
  number: 'CS0000007',
  tenant: 'N1',
  contractor: 'Customer Ltd',
  service: 'edr',
  category: 'fault',
  subject: 'Agent offline',
  description: '<p>It is offline.</p>',
  requester: { id: 'u1', name: 'Hanako' },
  watchers: [],
  status: 'resolved',
  statusLabel: 'Resolved (awaiting your approval)',
  createdAt: '2026-01-01T00:00:00Z',
  updatedAt: '2026-01-02T00:00:00Z',
  availableActions: ['comment', 'attach', 'approve', 'reject'],
  statusMessage: 'solution_awaiting_your_approval',
  activity: [
    {
      id: 'a1',
      kind: 'comment',
      author: { id: 'o1', name: 'SOC', role: 'operator' },
      body: '<p>Please <b>update</b> the agent.<img src="https://tracker.example/x.png"></p>',
      at: '2026-01-02T00:00:00Z',
    },
    {
      id: 'a2',
      kind: 'system',
      author: null,
      event: 'status_changed',
      data: { from: 'in_progress', to: 'resolved' },
      at: '2026-01-02T00:00:00Z',
    },
  ],
  attachments: [],
};

function setup(detail: CaseDetail) {
  const api = fakeFetch((url, init) => {
    if (url === `/api/v1/cases/${detail.number}` && (init.method ?? 'GET') === 'GET') {
      return { status: 200, body: detail };
    }
    if (init.method === 'POST') {
      return { status: 200, body: { ...detail, status: 'closed', availableActions: [] } };
    }
    return { status: 200, body: [] };
  });
  vi.stubGlobal('fetch', api.fetch);
  renderWithServices(
    <Routes>
      <Route path="/cases/:number" element={<CaseDetailPage />} />
    </Routes>,
    { language: 'en', path: `/cases/${detail.number}` },
  );
  return api;
}

describe('CaseDetailPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it("offers the case's availableActions, shows its status message and the cleaned activity", async () => {
    setup(resolved);
    await screen.findByRole('heading', { name: 'Agent offline' }, { timeout: 5_000 });
    expect(screen.getByText(/Please check the solution/)).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Approve the solution' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'Reject the solution' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Close the case' })).toBeNull();
    expect(screen.getByText('update').tagName).toBe('B');
    expect(document.querySelector('img')).toBeNull();
    expect(
      screen.getByText('The status changed from “In progress” to “Resolved (awaiting your approval)”.'),
    ).toBeTruthy();
    expect(screen.getByLabelText('Attach a file')).toBeTruthy();
  });

  it('approves only after the confirmation', async () => {
    const api = setup(resolved);
    fireEvent.click(await screen.findByRole('button', { name: 'Approve the solution' }, { timeout: 5_000 }));
    const dialog = screen.getByRole('dialog', { name: 'Approve the solution?' });
    expect(api.calls.some((c) => c.init.method === 'POST')).toBe(false);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Approve and close' }));
    await waitFor(() =>
      expect(api.calls.some((c) => c.url === '/api/v1/cases/CS0000007/approve')).toBe(true),
    );
    await screen.findByText('You approved the solution. The case is closed.');
  });

  it('keeps a rejection reason, and cancelling sends nothing', async () => {
    const api = setup(resolved);
    fireEvent.click(await screen.findByRole('button', { name: 'Reject the solution' }, { timeout: 5_000 }));
    fireEvent.click(within(screen.getByRole('dialog')).getByRole('button', { name: 'Cancel' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Reject the solution' }));
    fireEvent.change(screen.getByLabelText('Why (optional)'), { target: { value: 'Still offline' } });
    fireEvent.click(screen.getByRole('button', { name: 'Reject it' }));
    await waitFor(() => expect(api.calls.some((c) => c.url.endsWith('/reject'))).toBe(true));
    const reject = api.calls.find((c) => c.url.endsWith('/reject'))!;
    expect(JSON.parse(String(reject.init.body))).toEqual({ reason: '<p>Still offline</p>' });
    expect(api.calls.filter((c) => c.init.method === 'POST')).toHaveLength(1);
  });

  it('offers nothing on a closed case', async () => {
    setup({ ...resolved, status: 'closed', availableActions: [], statusMessage: 'closed_final' });
    await screen.findByText(/This case is closed/, {}, { timeout: 5_000 });
    expect(screen.queryByRole('button', { name: /Approve|Reject|Close the case/ })).toBeNull();
    expect(screen.queryByLabelText('Comment')).toBeNull();
    expect(screen.queryByLabelText('Attach a file')).toBeNull();
  });
});
