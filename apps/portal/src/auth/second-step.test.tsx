import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MethodOption } from '../api/types';
import { fakeFetch, renderWithServices } from '../test/render';
import { SecondStep } from './second-step';

const FLOW = 'f0000000-0000-4000-8000-000000000001';
const METHODS: MethodOption[] = [
  { type: 'sms', destination: '+81******5678', default: true },
  { type: 'email', destination: 'a***@example.com' },
  { type: 'totp' },
];

function setup(answer: Parameters<typeof fakeFetch>[0]) {
  const api = fakeFetch(answer);
  vi.stubGlobal('fetch', api.fetch);
  const onVerified = vi.fn();
  const onFlowEnded = vi.fn();
  renderWithServices(
    <SecondStep
      flowId={FLOW}
      methods={METHODS}
      offerTrust
      onVerified={onVerified}
      onFlowEnded={onFlowEnded}
    />,
    { language: 'en' },
  );
  return { calls: api.calls, onVerified, onFlowEnded };
}

describe('SecondStep', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('sends a code for the chosen method and allows a resend only after resendAfter', async () => {
    const { calls } = setup((url) =>
      url.endsWith('/challenge')
        ? {
            status: 202,
            body: {
              method: 'sms',
              destination: '+81******5678',
              expiresAt: '2026-01-01T00:10:00Z',
              resendAfter: 2,
            },
          }
        : { status: 500 },
    );
    fireEvent.click(screen.getByRole('button', { name: /Get a code by SMS/ }));
    await screen.findByText('We sent a code to +81******5678.');
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ method: 'sms' });
    expect(calls[0].url).toBe(`/api/v1/auth/login/${FLOW}/challenge`);

    const resend = screen.getByRole('button', { name: 'Send a new code' });
    expect(resend).toHaveProperty('disabled', true);
    expect(screen.getByText(/You can ask for a new code in [12] s\./)).toBeTruthy();
    await waitFor(() => expect(resend).toHaveProperty('disabled', false), { timeout: 4_000 });
    fireEvent.click(resend);
    await waitFor(() => expect(calls).toHaveLength(2));
  });

  it('waits as long as a resend_too_soon answer says', async () => {
    setup(() => ({
      status: 429,
      body: { error: { code: 'resend_too_soon', message: 'Too soon.', details: { retryAfter: 45 } } },
    }));
    fireEvent.click(screen.getByRole('button', { name: /Get a code by e-mail/ }));
    await screen.findByText(/You can ask for a new code in 4[45] s\./);
    expect(screen.getByRole('alert').textContent).toMatch(/^Too soon\. Please try again after/);
  });

  it('verifies an authenticator code and offers the other methods again', async () => {
    const { calls, onVerified } = setup(() => ({
      status: 200,
      body: {
        status: 'authenticated',
        accessToken: 'a',
        refreshToken: 'r',
        expiresIn: 900,
        tenants: [],
        activeTenant: null,
      },
    }));
    fireEvent.click(screen.getByRole('button', { name: /authenticator app/ }));
    expect(calls).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Try another method' }));
    fireEvent.click(screen.getByRole('button', { name: /authenticator app/ }));

    fireEvent.input(screen.getByLabelText('Security code (6 digits)'), { target: { value: '12345' } });
    fireEvent.click(screen.getByRole('button', { name: 'Verify' }));
    await screen.findByText('Please enter the 6 digits.');
    expect(calls).toHaveLength(0);

    fireEvent.input(screen.getByLabelText('Security code (6 digits)'), { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('checkbox'));
    fireEvent.input(await screen.findByLabelText('Name of this browser'), {
      target: { value: 'Work laptop' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Verify' }));
    await waitFor(() =>
      expect(onVerified).toHaveBeenCalledWith(expect.objectContaining({ status: 'authenticated' })),
    );
    expect(JSON.parse(String(calls[0].init.body))).toEqual({
      method: 'totp',
      code: '123456',
      trustBrowser: { name: 'Work laptop' },
    });
  });

  it('ends the flow on flow_expired', async () => {
    const { onFlowEnded } = setup(() => ({
      status: 410,
      body: { error: { code: 'flow_expired', message: 'Expired.' } },
    }));
    fireEvent.click(screen.getByRole('button', { name: /Get a code by SMS/ }));
    await waitFor(() =>
      expect(onFlowEnded).toHaveBeenCalledWith(expect.objectContaining({ code: 'flow_expired' })),
    );
  });
});
