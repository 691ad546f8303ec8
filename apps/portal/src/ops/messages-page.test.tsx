import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeFetch, renderWithServices } from '../test/render';
import { MessagesPage } from './messages-page';

const MESSAGE = {
  id: 'm-1',
  type: 'password-reset-link',
  channel: 'email',
  recipient: 'ad***@customer.example',
  status: 'delivered',
  history: [
    { status: 'queued', at: '2026-05-01T00:00:00.000Z' },
    { status: 'delivered', at: '2026-05-01T00:00:03.000Z' },
  ],
};

describe('MessagesPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('asks the API with the filters typed, and shows recipients masked as the API gives them', async () => {
    const api = fakeFetch(() => ({ status: 200, body: { items: [MESSAGE] } }));
    vi.stubGlobal('fetch', api.fetch);
    renderWithServices(<MessagesPage />, { language: 'en' });
    await screen.findByText('ad***@customer.example', { exact: false });
    expect(api.calls[0].url).toBe('/api/v1/ops/messages');

    fireEvent.input(screen.getByLabelText('Recipient'), { target: { value: '090-1234-5678' } });
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'failed' } });
    fireEvent.input(screen.getByLabelText('Type'), { target: { value: 'security-code' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));

    await waitFor(() => expect(api.calls).toHaveLength(2));
    const url = new URL(api.calls[1].url, 'http://portal');
    expect(url.pathname).toBe('/api/v1/ops/messages');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      recipient: '+819012345678',
      type: 'security-code',
      status: 'failed',
    });
  });

  it('refuses a time range that ends before it starts, without asking the API', async () => {
    const api = fakeFetch(() => ({ status: 200, body: { items: [] } }));
    vi.stubGlobal('fetch', api.fetch);
    renderWithServices(<MessagesPage />, { language: 'en' });
    await screen.findByText('No messages match.');
    fireEvent.input(screen.getByLabelText('Queued from'), { target: { value: '2026-05-02T10:00' } });
    fireEvent.input(screen.getByLabelText('Queued before'), { target: { value: '2026-05-01T10:00' } });
    fireEvent.click(screen.getByRole('button', { name: 'Search' }));
    await screen.findByText('Please choose a time after the start.');
    expect(api.calls).toHaveLength(1);
  });
});
