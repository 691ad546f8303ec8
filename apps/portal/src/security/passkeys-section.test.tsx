import { configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StepUpProvider } from '../step-up/step-up';
import { fakeFetch, renderWithServices } from '../test/render';
import { PasskeysSection } from './passkeys-section';

// The machine running the tests may be busy: a slow render is not a failure.
configure({ asyncUtilTimeout: 5_000 });

const webauthn = vi.hoisted(() => ({
  browserSupportsWebAuthn: vi.fn(() => true),
  startRegistration: vi.fn(),
}));
vi.mock('@simplewebauthn/browser', async (original) => ({
  ...(await original<typeof import('@simplewebauthn/browser')>()),
  ...webauthn,
}));

const OPTIONS = { challenge: 'Y2hhbGxlbmdl', rp: { name: 'Mamori', id: 'localhost' } };
const CREDENTIAL = {
  id: 'Y3JlZA',
  rawId: 'Y3JlZA',
  type: 'public-key',
  response: {},
  clientExtensionResults: {},
};

function backend() {
  const passkeys: { id: string; name: string; createdAt: string; lastUsedAt: string | null }[] = [];
  const api = fakeFetch((url, init) => {
    const method = init.method ?? 'GET';
    const path = url.replace('/api/v1', '');
    if (path === '/me/passkeys/options') {
      return { status: 200, body: { options: OPTIONS, expiresAt: '2026-01-01T00:05:00Z' } };
    }
    if (path === '/me/passkeys' && method === 'GET') {
      return { status: 200, body: passkeys };
    }
    if (path === '/me/passkeys' && method === 'POST') {
      const { name } = JSON.parse(String(init.body)) as { name: string };
      const created = {
        id: `p${passkeys.length + 1}`,
        name,
        createdAt: '2026-01-01T00:00:00Z',
        lastUsedAt: null,
      };
      passkeys.push(created);
      return { status: 201, body: created };
    }
    if (path.startsWith('/me/passkeys/') && method === 'PATCH') {
      const { name } = JSON.parse(String(init.body)) as { name: string };
      passkeys[0].name = name;
      return { status: 200, body: passkeys[0] };
    }
    if (path === '/me/security') {
      return { status: 200, body: {} };
    }
    return { status: 500 };
  });
  vi.stubGlobal('fetch', api.fetch);
  return api;
}

function renderSection() {
  const rendered = renderWithServices(
    <StepUpProvider>
      <PasskeysSection />
    </StepUpProvider>,
    { language: 'en' },
  );
  rendered.services.session.signIn({ accessToken: 'a', refreshToken: 'r', expiresIn: 900 });
  return rendered;
}

describe('PasskeysSection', () => {
  beforeEach(() => {
    webauthn.browserSupportsWebAuthn.mockReturnValue(true);
    webauthn.startRegistration.mockReset();
  });
  afterEach(() => vi.unstubAllGlobals());

  it('registers a passkey with the browser’s answer to the server’s options, lists and renames it', async () => {
    webauthn.startRegistration.mockResolvedValue(CREDENTIAL);
    const api = backend();
    renderSection();
    await screen.findByText('No passkey yet.');
    fireEvent.click(screen.getByRole('button', { name: 'Add a passkey' }));
    await screen.findByText('Please fill this in.');
    expect(api.calls.some((c) => c.url.endsWith('/options'))).toBe(false);

    fireEvent.change(screen.getByLabelText('Name of the passkey'), { target: { value: ' Work laptop ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add a passkey' }));
    await screen.findByText('Your passkey has been added.');
    expect(webauthn.startRegistration).toHaveBeenCalledWith({ optionsJSON: OPTIONS });
    const registration = api.calls.find((c) => c.url.endsWith('/me/passkeys') && c.init.method === 'POST');
    expect(JSON.parse(String(registration?.init.body))).toEqual({
      name: 'Work laptop',
      credential: CREDENTIAL,
    });

    const list = within(await screen.findByRole('list', { name: 'Your passkeys' }));
    await list.findByText('Work laptop');
    fireEvent.click(list.getByRole('button', { name: 'Rename: Work laptop' }));
    fireEvent.change(list.getByLabelText('New name'), { target: { value: 'Home PC' } });
    fireEvent.click(list.getByRole('button', { name: 'Save' }));
    await list.findByText('Home PC');
  });

  it('says the prompt was cancelled, in the user’s words, and registers nothing', async () => {
    webauthn.startRegistration.mockRejectedValue(
      Object.assign(new Error('The operation either timed out or was not allowed.'), {
        name: 'NotAllowedError',
      }),
    );
    const api = backend();
    renderSection();
    fireEvent.change(await screen.findByLabelText('Name of the passkey'), { target: { value: 'Phone' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add a passkey' }));
    await waitFor(() =>
      expect(screen.getByRole('alert').textContent).toBe(
        'The passkey request was cancelled or timed out. Please try again.',
      ),
    );
    expect(api.calls.filter((c) => c.url.endsWith('/me/passkeys') && c.init.method === 'POST')).toHaveLength(
      0,
    );
  });

  it('does not ask the server for options in a browser without WebAuthn', async () => {
    webauthn.browserSupportsWebAuthn.mockReturnValue(false);
    const api = backend();
    renderSection();
    fireEvent.change(await screen.findByLabelText('Name of the passkey'), { target: { value: 'Phone' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add a passkey' }));
    await screen.findByText('This browser does not support passkeys.');
    expect(api.calls.some((c) => c.url.endsWith('/options'))).toBe(false);
  });
});
