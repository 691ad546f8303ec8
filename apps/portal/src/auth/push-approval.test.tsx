import { configure, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { MethodOption } from '../api/types';
import { fakeFetch, renderWithServices } from '../test/render';
import { PushApproval } from './push-approval';
import { SecondStep } from './second-step';

// The machine running the tests may be busy: a slow render is not a failure.
configure({ asyncUtilTimeout: 5_000 });

const FLOW = 'f0000000-0000-4000-8000-000000000005';
const METHODS: MethodOption[] = [
  { type: 'sms', destination: '+81******5678' },
  { type: 'push', destination: 'My phone' },
];
const TOKENS = {
  status: 'authenticated',
  accessToken: 'a',
  refreshToken: 'r',
  expiresIn: 900,
  tenants: [],
  activeTenant: null,
};

/** The flow's state answers `statuses` one poll after another, the last one from then on. */
function setup(statuses: string[], resendAfter = 0) {
  let polls = 0;
  const api = fakeFetch((url, init) => {
    if (url.endsWith('/challenge')) {
      return {
        status: 202,
        body: {
          method: 'push',
          destination: 'My phone',
          expiresAt: '2026-01-01T00:02:00Z',
          resendAfter,
          sentAt: `s${polls}`,
          matchNumber: 42,
        },
      };
    }
    if (url.endsWith(`/auth/login/${FLOW}`) && (init.method ?? 'GET') === 'GET') {
      return { status: 200, body: { status: statuses[Math.min(polls++, statuses.length - 1)] } };
    }
    if (url.endsWith('/verify')) {
      return { status: 200, body: TOKENS };
    }
    return { status: 500 };
  });
  vi.stubGlobal('fetch', api.fetch);
  const onVerified = vi.fn();
  const onFlowEnded = vi.fn();
  renderWithServices(
    <PushApproval flowId={FLOW} offerTrust onVerified={onVerified} onFlowEnded={onFlowEnded} pollMs={40} />,
    { language: 'en' },
  );
  return { calls: api.calls, onVerified, onFlowEnded };
}

const state = () => document.querySelector('.push-state')?.getAttribute('data-state');

describe('PushApproval', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('shows the number to match, polls while pending and logs in once approved, trusting the browser', async () => {
    const { calls, onVerified } = setup(['pending', 'pending', 'approved']);
    fireEvent.click(screen.getByRole('checkbox'));
    fireEvent.click(screen.getByRole('button', { name: 'Ask my app to approve' }));
    await screen.findByText('Please fill this in.');
    expect(calls).toHaveLength(0);
    fireEvent.change(screen.getByLabelText('Name of this browser'), { target: { value: 'Home PC' } });
    fireEvent.click(screen.getByRole('button', { name: 'Ask my app to approve' }));

    expect((await screen.findByText('42')).className).toBe('match-number');
    await screen.findByText('Waiting for your approval in the app…');
    await waitFor(() => expect(onVerified).toHaveBeenCalledWith(TOKENS));
    expect(JSON.parse(String(calls[0].init.body))).toEqual({ method: 'push' });
    const polls = calls.filter((c) => c.url.endsWith(`/auth/login/${FLOW}`));
    expect(polls.length).toBeGreaterThanOrEqual(3);
    const verifies = calls.filter((c) => c.url.endsWith('/verify'));
    expect(verifies).toHaveLength(1);
    expect(JSON.parse(String(verifies[0].init.body))).toEqual({
      method: 'push',
      trustBrowser: { name: 'Home PC' },
    });
  });

  it('says so when the app denies, stops polling, never verifies, and offers a new request', async () => {
    const { calls, onVerified } = setup(['pending', 'denied']);
    fireEvent.click(screen.getByRole('button', { name: 'Ask my app to approve' }));
    await waitFor(() => expect(state()).toBe('denied'));
    expect(screen.getByRole('alert').textContent).toMatch(/^The login was denied in the app\./);
    expect(screen.queryByText('42')).toBeNull();
    const pollsAtDenial = calls.filter((c) => c.url.endsWith(`/auth/login/${FLOW}`)).length;
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(calls.filter((c) => c.url.endsWith(`/auth/login/${FLOW}`))).toHaveLength(pollsAtDenial);
    expect(calls.some((c) => c.url.endsWith('/verify'))).toBe(false);
    expect(onVerified).not.toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: 'Send a new request' }));
    await waitFor(() => expect(calls.filter((c) => c.url.endsWith('/challenge'))).toHaveLength(2));
  });

  it('tells an expired request apart and waits resendAfter before a new one', async () => {
    setup(['expired'], 30);
    fireEvent.click(screen.getByRole('button', { name: 'Ask my app to approve' }));
    await screen.findByText('The approval request has expired. Please send a new one.');
    expect(screen.getByRole('button', { name: 'Send a new request' })).toHaveProperty('disabled', true);
    expect(screen.getByText(/You can send a new request in (29|30) s\./)).toBeTruthy();
  });

  it('is offered in the second step next to the codes, and sends nothing until asked', async () => {
    const api = fakeFetch(() => ({ status: 500 }));
    vi.stubGlobal('fetch', api.fetch);
    renderWithServices(
      <SecondStep flowId={FLOW} methods={METHODS} offerTrust onVerified={vi.fn()} onFlowEnded={vi.fn()} />,
      { language: 'en' },
    );
    const push = screen.getByRole('button', { name: /Approve in the app/ });
    expect(push).toHaveProperty('disabled', false);
    fireEvent.click(push);
    await screen.findByRole('button', { name: 'Ask my app to approve' });
    expect(api.calls).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Try another method' }));
    await screen.findByRole('button', { name: /Get a code by SMS/ });
  });
});
