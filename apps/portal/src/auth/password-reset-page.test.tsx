import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeFetch, renderWithServices } from '../test/render';
import { PasswordResetPage } from './password-reset-page';

const POLICY = {
  minLength: 12,
  maxLength: 40,
  symbols: '!@#$%&*?+-=',
  rules: [
    'min_length',
    'max_length',
    'lower',
    'upper',
    'digit',
    'symbol',
    'allowed_characters',
    'not_weak',
    'confirmation_matches',
  ],
};

function renderPage(answer: Parameters<typeof fakeFetch>[0]) {
  const api = fakeFetch(answer);
  vi.stubGlobal('fetch', api.fetch);
  renderWithServices(
    <Routes>
      <Route path="/password-reset/:token" element={<PasswordResetPage />} />
    </Routes>,
    { language: 'en', path: '/password-reset/tok_123' },
  );
  return api;
}

const state = (id: string) => document.querySelector(`[data-rule="${id}"]`)?.getAttribute('data-state');

describe('PasswordResetPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it("shows the account's lock, and marks not_weak unmet when the server refuses the password", async () => {
    const api = renderPage((url, init) => {
      if (url.endsWith('/auth/password-policy')) {
        return { status: 200, body: POLICY };
      }
      if (init.method === 'GET') {
        return { status: 200, body: { userId: 'taro@example.fm', locked: true } };
      }
      return {
        status: 422,
        body: {
          error: {
            code: 'password_policy',
            message: 'The password breaks a rule.',
            details: { violations: ['not_weak'] },
          },
        },
      };
    });
    await screen.findByText('ID: taro@example.fm');
    expect(screen.getByText(/This account is locked/)).toBeTruthy();
    const submit = screen.getByRole('button', { name: 'Set the password' });
    expect(submit).toHaveProperty('disabled', true);

    fireEvent.input(screen.getByLabelText('New password'), { target: { value: 'Password123!' } });
    fireEvent.input(screen.getByLabelText('New password (again)'), { target: { value: 'Password123!' } });
    await waitFor(() => expect(submit).toHaveProperty('disabled', false));
    expect(state('not_weak')).toBe('pending');
    fireEvent.click(submit);

    await screen.findByText('The password breaks a rule.');
    expect(state('not_weak')).toBe('unmet');
    const post = api.calls.find((c) => c.init.method === 'POST');
    expect(post?.url).toBe('/api/v1/auth/password-reset/tok_123');
    expect(JSON.parse(String(post?.init.body))).toEqual({ newPassword: 'Password123!' });

    // A new password is judged afresh: the server's refusal was about the old one.
    fireEvent.input(screen.getByLabelText('New password'), { target: { value: 'Qz7#mK2!vRw9' } });
    await waitFor(() => expect(state('not_weak')).toBe('pending'));
  });

  it('says so when the link is no longer valid', async () => {
    renderPage((url) =>
      url.endsWith('/auth/password-policy')
        ? { status: 200, body: POLICY }
        : {
            status: 410,
            body: { error: { code: 'reset_token_invalid', message: 'This link is no longer valid.' } },
          },
    );
    expect((await screen.findByRole('alert')).textContent).toBe('This link is no longer valid.');
    expect(screen.queryByLabelText('New password')).toBeNull();
  });
});
