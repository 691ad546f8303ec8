import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StepUpProvider } from '../step-up/step-up';
import { fakeFetch, renderWithServices } from '../test/render';
import { RejectDialog } from './reject-dialog';

const REQUEST = {
  id: 'a0000000-0000-4000-8000-000000000001',
  item: { id: 'i-1', code: 'WR-001', name: 'Block list entry' },
  tenant: 'N202400003',
};

function renderDialog() {
  const onClose = vi.fn();
  const result = renderWithServices(
    <StepUpProvider>
      <RejectDialog request={REQUEST} onClose={onClose} />
    </StepUpProvider>,
    { language: 'en' },
  );
  result.services.session.signIn({ accessToken: 'ops', refreshToken: 'r', expiresIn: 900 });
  return onClose;
}

describe('RejectDialog', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('does not reject without a reason', async () => {
    const api = fakeFetch(() => ({ status: 200, body: {} }));
    vi.stubGlobal('fetch', api.fetch);
    const onClose = renderDialog();
    fireEvent.input(screen.getByLabelText('Reason'), { target: { value: '   ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Reject' }));
    await screen.findByText('Please give the reason.');
    expect(api.calls).toHaveLength(0);
    expect(onClose).not.toHaveBeenCalled();
  });

  it('sends the reason and closes once the API has rejected the request', async () => {
    const api = fakeFetch(() => ({ status: 200, body: { id: REQUEST.id, status: 'rejected' } }));
    vi.stubGlobal('fetch', api.fetch);
    const onClose = renderDialog();
    expect(screen.getByRole('heading', { name: 'Reject “Block list entry”' })).toBeTruthy();
    fireEvent.input(screen.getByLabelText('Reason'), { target: { value: ' Out of the contract. ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Reject' }));
    await waitFor(() => expect(onClose).toHaveBeenCalledWith(true));
    expect(api.calls).toHaveLength(1);
    expect(api.calls[0].url).toBe(`/api/v1/ops/work-requests/${REQUEST.id}/reject`);
    expect(api.calls[0].init.method).toBe('POST');
    expect(JSON.parse(api.calls[0].init.body as string)).toEqual({ reason: 'Out of the contract.' });
  });

  it("shows the API's error and stays open when the request was decided meanwhile", async () => {
    const api = fakeFetch(() => ({
      status: 409,
      body: { error: { code: 'invalid_transition', message: 'This request was already decided.' } },
    }));
    vi.stubGlobal('fetch', api.fetch);
    const onClose = renderDialog();
    fireEvent.input(screen.getByLabelText('Reason'), { target: { value: 'No.' } });
    fireEvent.click(screen.getByRole('button', { name: 'Reject' }));
    await screen.findByText('This request was already decided.');
    expect(onClose).not.toHaveBeenCalled();
  });

  it('closes without a call when cancelled', () => {
    const api = fakeFetch(() => ({ status: 200, body: {} }));
    vi.stubGlobal('fetch', api.fetch);
    const onClose = renderDialog();
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    expect(onClose).toHaveBeenCalledWith(false);
    expect(api.calls).toHaveLength(0);
  });
});
