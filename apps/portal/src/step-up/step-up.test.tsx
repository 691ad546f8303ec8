import { fireEvent, screen, waitFor } from '@testing-library/react';
import { useState } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { errorText } from '../api/api-error';
import { useApi } from '../session/services';
import { fakeFetch, renderWithServices } from '../test/render';
import { StepUpProvider, useStepUp } from './step-up';

const FLOW = 'f0000000-0000-4000-8000-000000000002';

/** A sensitive action behind a button, as the account page has them. */
function Sensitive() {
  const api = useApi();
  const withStepUp = useStepUp();
  const [outcome, setOutcome] = useState('');
  const run = () =>
    withStepUp(() => api.post('/me/password', { currentPassword: 'a', newPassword: 'b' })).then(
      () => setOutcome('done'),
      (error: unknown) => setOutcome(`failed: ${errorText(error, (key) => key)}`),
    );
  return (
    <>
      <button type="button" onClick={() => void run()}>
        change
      </button>
      <output>{outcome}</output>
    </>
  );
}

describe('StepUpProvider', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('walks the second step inline on step_up_required, then repeats the action with the fresh token', async () => {
    let stepped = false;
    const api = fakeFetch((url) => {
      if (url.endsWith('/me/password')) {
        return stepped
          ? { status: 204 }
          : {
              status: 403,
              body: {
                error: {
                  code: 'step_up_required',
                  message: 'Verify again.',
                  details: { flowId: FLOW, methods: [{ type: 'totp' }] },
                },
              },
            };
      }
      if (url.endsWith(`/auth/login/${FLOW}/verify`)) {
        stepped = true;
        return {
          status: 200,
          body: {
            status: 'authenticated',
            accessToken: 'fresh',
            refreshToken: 'r2',
            expiresIn: 900,
            tenants: [],
            activeTenant: null,
          },
        };
      }
      return { status: 500 };
    });
    vi.stubGlobal('fetch', api.fetch);
    const { services } = renderWithServices(
      <StepUpProvider>
        <Sensitive />
      </StepUpProvider>,
      { language: 'en' },
    );
    services.session.signIn({ accessToken: 'old', refreshToken: 'r1', expiresIn: 900 });

    fireEvent.click(screen.getByRole('button', { name: 'change' }));
    await screen.findByRole('heading', { name: 'Verification needed' });
    fireEvent.input(screen.getByLabelText('Security code (6 digits)'), { target: { value: '654321' } });
    fireEvent.click(screen.getByRole('button', { name: 'Verify' }));

    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('done'));
    const passwordCalls = api.calls.filter((c) => c.url.endsWith('/me/password'));
    expect(passwordCalls).toHaveLength(2);
    expect((passwordCalls[1].init.headers as Record<string, string>).Authorization).toBe('Bearer fresh');
    expect(screen.queryByRole('heading', { name: 'Verification needed' })).toBeNull();
    // The server completes a step-up only for the session it was opened for: the code goes with its token.
    const verify = api.calls.find((c) => c.url.endsWith(`/auth/login/${FLOW}/verify`));
    expect((verify?.init.headers as Record<string, string>).Authorization).toBe('Bearer old');
  });

  it('gives the original error back when the user cancels', async () => {
    const api = fakeFetch(() => ({
      status: 403,
      body: {
        error: {
          code: 'step_up_required',
          message: 'Verify again.',
          details: { flowId: FLOW, methods: [{ type: 'totp' }] },
        },
      },
    }));
    vi.stubGlobal('fetch', api.fetch);
    renderWithServices(
      <StepUpProvider>
        <Sensitive />
      </StepUpProvider>,
      { language: 'en' },
    );
    fireEvent.click(screen.getByRole('button', { name: 'change' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toBe('failed: Verify again.'));
    expect(api.calls).toHaveLength(1);
  });
});
