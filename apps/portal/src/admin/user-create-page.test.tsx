import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StepUpProvider } from '../step-up/step-up';
import { fakeFetch, renderWithServices } from '../test/render';
import { UserCreatePage } from './user-create-page';

const FLOW = 'f0000000-0000-4000-8000-000000000009';

describe('UserCreatePage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('fills the ID the API suggests, walks the step-up, and shows the initial password once', async () => {
    let stepped = false;
    const api = fakeFetch((url, init) => {
      if (url.includes('/admin/users/suggested-id')) {
        return { status: 200, body: { userId: 'hanako@example.co.jp.fm' } };
      }
      if (url.endsWith('/auth/password-policy')) {
        return { status: 200, body: { minLength: 12, maxLength: 40, symbols: '!@#$%&*?+-=', rules: [] } };
      }
      if (url.endsWith('/admin/users') && init.method === 'POST') {
        if (!stepped) {
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
        const body = JSON.parse(String(init.body)) as Record<string, unknown>;
        return { status: 201, body: { ...body, id: '00000000-0000-4000-8000-000000000042' } };
      }
      if (url.endsWith(`/auth/login/${FLOW}/verify`)) {
        stepped = true;
        return {
          status: 200,
          body: { status: 'authenticated', accessToken: 'a2', refreshToken: 'r2', expiresIn: 900 },
        };
      }
      return { status: 500 };
    });
    vi.stubGlobal('fetch', api.fetch);
    const { services } = renderWithServices(
      <StepUpProvider>
        <UserCreatePage />
      </StepUpProvider>,
      { language: 'en' },
    );
    services.session.signIn({ accessToken: 'a1', refreshToken: 'r1', expiresIn: 900 });

    fireEvent.input(screen.getByLabelText('Family name'), { target: { value: '山田' } });
    const email = screen.getByLabelText('E-mail address');
    fireEvent.input(email, { target: { value: 'hanako@example.co.jp' } });
    fireEvent.blur(email);
    await screen.findByText('Suggested ID: hanako@example.co.jp.fm (used when left empty)');
    expect(api.calls.map((c) => c.url)).toContain(
      '/api/v1/admin/users/suggested-id?email=hanako%40example.co.jp',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Use the suggested ID' }));
    expect((screen.getByLabelText('ID') as HTMLInputElement).value).toBe('hanako@example.co.jp.fm');

    // An admin needs the initial authentication password: refused without one, then generated.
    fireEvent.click(screen.getByLabelText('Make a tenant admin'));
    fireEvent.click(screen.getByRole('button', { name: 'Create' }));
    await screen.findByText('An admin needs an initial authentication password.');
    fireEvent.click(screen.getByRole('button', { name: 'Generate' }));
    const password = (screen.getByLabelText('Initial authentication password') as HTMLInputElement).value;
    expect(password).toHaveLength(16);

    fireEvent.click(screen.getByRole('button', { name: 'Create' }));
    await screen.findByRole('heading', { name: 'Verification needed' });
    fireEvent.input(screen.getByLabelText('Security code (6 digits)'), { target: { value: '123456' } });
    fireEvent.click(screen.getByRole('button', { name: 'Verify' }));

    await screen.findByText(/User hanako@example.co.jp.fm has been created/);
    expect(screen.getByTestId('initial-password').textContent).toBe(password);
    const creates = api.calls.filter((c) => c.url.endsWith('/admin/users') && c.init.method === 'POST');
    expect(creates).toHaveLength(2);
    expect(JSON.parse(String(creates[1].init.body))).toMatchObject({
      familyName: '山田',
      email: 'hanako@example.co.jp',
      userId: 'hanako@example.co.jp.fm',
      admin: true,
      initialPassword: password,
    });

    // "Create another" forgets it: the password is never shown again.
    fireEvent.click(screen.getByRole('button', { name: 'Create another' }));
    await waitFor(() => expect(screen.queryByTestId('initial-password')).toBeNull());
  });
});
