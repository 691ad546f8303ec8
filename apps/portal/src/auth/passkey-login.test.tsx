import { configure, fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeFetch, renderWithServices } from '../test/render';
import { PasskeyLogin } from './passkey-login';

// The machine running the tests may be busy: a slow render is not a failure.
configure({ asyncUtilTimeout: 5_000 });

const webauthn = vi.hoisted(() => ({
  browserSupportsWebAuthn: vi.fn(() => true),
  startAuthentication: vi.fn(),
}));
vi.mock('@simplewebauthn/browser', async (original) => ({
  ...(await original<typeof import('@simplewebauthn/browser')>()),
  ...webauthn,
}));

const FLOW = 'f0000000-0000-4000-8000-000000000004';
const OPTIONS = { challenge: 'Y2hhbGxlbmdl', rpId: 'localhost' };
const ASSERTION = {
  id: 'Y3JlZA',
  rawId: 'Y3JlZA',
  type: 'public-key',
  response: {},
  clientExtensionResults: {},
};

function setup(verifyAnswer: { status: number; body?: unknown }) {
  const api = fakeFetch((url) =>
    url.endsWith('/auth/passkey/options')
      ? { status: 200, body: { flowId: FLOW, options: OPTIONS, expiresAt: '2026-01-01T00:05:00Z' } }
      : url.endsWith('/auth/passkey/verify')
        ? verifyAnswer
        : { status: 500 },
  );
  vi.stubGlobal('fetch', api.fetch);
  const onResult = vi.fn();
  renderWithServices(<PasskeyLogin onResult={onResult} />, { language: 'en' });
  return { calls: api.calls, onResult };
}

describe('PasskeyLogin', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('signs the server’s challenge with a passkey of this site and hands the tokens on', async () => {
    webauthn.startAuthentication.mockResolvedValue(ASSERTION);
    const tokens = {
      status: 'authenticated',
      accessToken: 'a',
      refreshToken: 'r',
      expiresIn: 900,
      tenants: [],
      activeTenant: null,
    };
    const { calls, onResult } = setup({ status: 200, body: tokens });
    fireEvent.click(screen.getByRole('button', { name: 'Use a passkey' }));
    await waitFor(() => expect(onResult).toHaveBeenCalledWith(tokens));
    // No user ID: any passkey the browser holds for this site may answer.
    expect(JSON.parse(String(calls[0].init.body))).toEqual({});
    expect(webauthn.startAuthentication).toHaveBeenCalledWith({ optionsJSON: OPTIONS });
    expect(JSON.parse(String(calls[1].init.body))).toEqual({ flowId: FLOW, credential: ASSERTION });
    expect((calls[1].init.headers as Record<string, string>).Authorization).toBeUndefined();
  });

  it('shows a locked account with the time it opens again', async () => {
    webauthn.startAuthentication.mockResolvedValue(ASSERTION);
    const { onResult } = setup({
      status: 423,
      body: {
        error: { code: 'account_locked', message: 'This account is locked.', details: { retryAfter: 600 } },
      },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Use a passkey' }));
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toMatch(
        /^This account is locked\. Please try again after \d\d:\d\d\.$/,
      ),
    );
    expect(onResult).not.toHaveBeenCalled();
  });

  it('reads a dismissed prompt as cancelled and sends nothing to verify', async () => {
    webauthn.startAuthentication.mockRejectedValue(
      Object.assign(new Error('nope'), { name: 'NotAllowedError' }),
    );
    const { calls } = setup({ status: 500 });
    fireEvent.click(screen.getByRole('button', { name: 'Use a passkey' }));
    await screen.findByText('The passkey request was cancelled or timed out. Please try again.');
    expect(calls.filter((c) => c.url.endsWith('/verify'))).toHaveLength(0);
  });
});
