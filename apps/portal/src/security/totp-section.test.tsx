import { configure, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StepUpProvider } from '../step-up/step-up';
import { fakeFetch, renderWithServices } from '../test/render';
import { groupSecret } from './totp-section';
import { SecurityPage } from './security-page';

// The machine running the tests may be busy: a slow render is not a failure.
configure({ asyncUtilTimeout: 5_000 });

const FLOW = 'f0000000-0000-4000-8000-000000000003';
const SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
const QR =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** A backend for the security page: the authenticator app's state moves as the calls say. */
function backend(options: { stepUpFirst?: boolean } = {}) {
  let totpEnabled = false;
  let stepUpPending = options.stepUpFirst ?? false;
  const api = fakeFetch((url, init) => {
    const method = init.method ?? 'GET';
    const path = url.replace('/api/v1', '');
    if (path === '/me/security') {
      return {
        status: 200,
        body: {
          mfaEnabled: true,
          sms: { available: true },
          email: { address: 'a@example.com', undeliverable: false },
          totp: { enabled: totpEnabled },
          passkeys: 0,
          trustedBrowsers: 0,
        },
      };
    }
    if (['/me/passkeys', '/me/mfa/approvers', '/me/trusted-browsers'].includes(path)) {
      return { status: 200, body: [] };
    }
    if (path === '/me/mfa/totp' && (method === 'POST' || method === 'DELETE')) {
      if (stepUpPending) {
        return {
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
      if (method === 'DELETE') {
        totpEnabled = false;
        return { status: 204 };
      }
      return {
        status: 201,
        body: { secret: SECRET, otpauthUri: `otpauth://totp/Mamori:a?secret=${SECRET}`, qrCode: QR },
      };
    }
    if (path === `/auth/login/${FLOW}/verify`) {
      stepUpPending = false;
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
    if (path === '/me/mfa/totp/confirm') {
      const { code } = JSON.parse(String(init.body)) as { code: string };
      if (code !== '123456') {
        return { status: 401, body: { error: { code: 'invalid_code', message: 'That code is not right.' } } };
      }
      totpEnabled = true;
      return { status: 204 };
    }
    return { status: 500 };
  });
  vi.stubGlobal('fetch', api.fetch);
  return api;
}

function renderPage() {
  const rendered = renderWithServices(
    <StepUpProvider>
      <SecurityPage />
    </StepUpProvider>,
    { language: 'en' },
  );
  rendered.services.session.signIn({ accessToken: 'a', refreshToken: 'r', expiresIn: 900 });
  return rendered;
}

describe('TotpSection', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('groups the secret in fours for typing by hand', () => {
    expect(groupSecret('JBSWY3DPEHPK3PXP')).toBe('JBSW Y3DP EHPK 3PXP');
    expect(groupSecret('ABCDEF')).toBe('ABCD EF');
  });

  it('shows the QR code and the key, keeps them after a wrong code and turns the app on with a right one', async () => {
    const api = backend();
    renderPage();
    const section = within(await screen.findByRole('region', { name: 'Authenticator app' }));
    fireEvent.click(await section.findByRole('button', { name: 'Set up an authenticator app' }));

    const qr = await section.findByRole('img', { name: 'QR code to add to your authenticator app' });
    expect(qr.getAttribute('src')).toBe(QR);
    expect(section.getByText('JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP')).toBeTruthy();

    const code = section.getByLabelText('6-digit code from your authenticator app');
    fireEvent.input(code, { target: { value: '12345' } });
    fireEvent.click(section.getByRole('button', { name: 'Check and turn on' }));
    await section.findByText('Please enter the 6 digits.');
    expect(api.calls.some((c) => c.url.endsWith('/confirm'))).toBe(false);

    fireEvent.input(code, { target: { value: '000000' } });
    fireEvent.click(section.getByRole('button', { name: 'Check and turn on' }));
    expect((await section.findByRole('alert')).textContent).toBe('That code is not right.');
    expect(section.getByRole('img')).toBeTruthy();

    fireEvent.input(section.getByLabelText('6-digit code from your authenticator app'), {
      target: { value: '123456' },
    });
    fireEvent.click(section.getByRole('button', { name: 'Check and turn on' }));
    await section.findByText('Your authenticator app is set up.');
    expect(section.queryByRole('img')).toBeNull();
    expect(section.getByRole('button', { name: 'Remove the authenticator app' })).toBeTruthy();
    const confirms = api.calls.filter((c) => c.url.endsWith('/me/mfa/totp/confirm'));
    expect(confirms.map((c) => JSON.parse(String(c.init.body)))).toEqual([
      { code: '000000' },
      { code: '123456' },
    ]);
  });

  it('walks the step-up before enrolling, then asks for the enrolment again', async () => {
    const api = backend({ stepUpFirst: true });
    renderPage();
    const section = within(await screen.findByRole('region', { name: 'Authenticator app' }));
    fireEvent.click(await section.findByRole('button', { name: 'Set up an authenticator app' }));

    await screen.findByRole('heading', { name: 'Verification needed' });
    fireEvent.input(screen.getByLabelText('Security code (6 digits)'), { target: { value: '654321' } });
    fireEvent.click(screen.getByRole('button', { name: 'Verify' }));

    await section.findByRole('img', { name: 'QR code to add to your authenticator app' });
    const enrolCalls = api.calls.filter((c) => c.url.endsWith('/me/mfa/totp') && c.init.method === 'POST');
    expect(enrolCalls).toHaveLength(2);
    expect((enrolCalls[1].init.headers as Record<string, string>).Authorization).toBe('Bearer fresh');
  });

  it('asks before removing the app, and removes it on the second press', async () => {
    const api = backend();
    renderPage();
    const section = within(await screen.findByRole('region', { name: 'Authenticator app' }));
    fireEvent.click(await section.findByRole('button', { name: 'Set up an authenticator app' }));
    fireEvent.input(await section.findByLabelText('6-digit code from your authenticator app'), {
      target: { value: '123456' },
    });
    fireEvent.click(section.getByRole('button', { name: 'Check and turn on' }));

    fireEvent.click(await section.findByRole('button', { name: 'Remove the authenticator app' }));
    expect(api.calls.some((c) => c.init.method === 'DELETE')).toBe(false);
    section.getByText(/Remove the authenticator app\? Its codes will no longer work/);
    fireEvent.click(section.getByRole('button', { name: 'Remove the authenticator app' }));
    await section.findByRole('button', { name: 'Set up an authenticator app' });
    await waitFor(() => expect(section.getByText('Removed.')).toBeTruthy());
    expect(api.calls.filter((c) => c.init.method === 'DELETE')).toHaveLength(1);
  });
});
