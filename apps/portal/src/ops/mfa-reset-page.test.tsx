import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StepUpProvider } from '../step-up/step-up';
import { fakeFetch, renderWithServices } from '../test/render';
import { MfaResetPage } from './mfa-reset-page';

const USER = 'B0000000-0000-4000-8000-00000000000A';

function renderPage(answer: Parameters<typeof fakeFetch>[0]) {
  const api = fakeFetch(answer);
  vi.stubGlobal('fetch', api.fetch);
  const { services } = renderWithServices(
    <StepUpProvider>
      <MfaResetPage />
    </StepUpProvider>,
    { language: 'en', path: `/ops/mfa-reset?user=${USER}&case=cs0000123` },
  );
  services.session.signIn({ accessToken: 'ops', refreshToken: 'r', expiresIn: 900 });
  return api;
}

function fillIdentity(company: string) {
  fireEvent.input(screen.getByLabelText('Registered e-mail address'), {
    target: { value: 'hanako@customer.example' },
  });
  fireEvent.input(screen.getByLabelText('Family name'), { target: { value: '山田' } });
  fireEvent.input(screen.getByLabelText('Company (a tenant of the user)'), { target: { value: company } });
}

describe('MfaResetPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('takes the user and case from the link, and resets nothing until the check is confirmed', async () => {
    const api = renderPage(() => ({ status: 204 }));
    expect((screen.getByLabelText("User's internal id") as HTMLInputElement).value).toBe(USER);
    expect((screen.getByLabelText('Case number') as HTMLInputElement).value).toBe('cs0000123');
    fillIdentity('Example Corporation');
    fireEvent.click(screen.getByRole('button', { name: 'Reset the MFA' }));
    await screen.findByText('Please confirm by ticking this.');
    expect(api.calls).toHaveLength(0);
  });

  it('sends the identity fields given, and only those', async () => {
    const api = renderPage(() => ({ status: 204 }));
    fillIdentity('Example Corporation');
    fireEvent.click(screen.getByLabelText('I have confirmed the request comes from the user'));
    fireEvent.click(screen.getByRole('button', { name: 'Reset the MFA' }));
    await screen.findByText('MFA reset. The user was e-mailed.');
    expect(api.calls[0].url).toBe(`/api/v1/ops/users/${USER.toLowerCase()}/mfa-reset`);
    expect(JSON.parse(api.calls[0].init.body as string)).toEqual({
      caseNumber: 'CS0000123',
      email: 'hanako@customer.example',
      familyName: '山田',
      company: 'Example Corporation',
    });
  });

  it('marks the fields the identity check found wrong', async () => {
    renderPage(() => ({
      status: 422,
      body: {
        error: {
          code: 'identity_check_failed',
          message: 'The identity check failed.',
          details: { fields: ['company'] },
        },
      },
    }));
    fillIdentity('Another Corporation');
    fireEvent.click(screen.getByLabelText('I have confirmed the request comes from the user'));
    fireEvent.click(screen.getByRole('button', { name: 'Reset the MFA' }));
    await screen.findByText('Did not match: Company (a tenant of the user)');
    await waitFor(() =>
      expect(screen.getByLabelText('Company (a tenant of the user)').getAttribute('aria-invalid')).toBe(
        'true',
      ),
    );
    expect(screen.getByLabelText('Family name').getAttribute('aria-invalid')).toBeNull();
    expect(screen.getByText('This does not match the account.')).toBeTruthy();
  });
});
