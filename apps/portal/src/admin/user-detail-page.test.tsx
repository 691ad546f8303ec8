import { fireEvent, screen, waitFor } from '@testing-library/react';
import { Route, Routes } from 'react-router';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StepUpProvider } from '../step-up/step-up';
import { fakeFetch, renderWithServices } from '../test/render';
import type { AdminUser } from './types';
import { UserDetailPage } from './user-detail-page';

const ID = '00000000-0000-4000-8000-000000000007';
const USER: AdminUser = {
  id: ID,
  userId: 'jiro@example.co.jp.fm',
  email: 'jiro@example.co.jp',
  familyName: '佐藤',
  givenName: '次郎',
  displayName: null,
  title: null,
  phone: null,
  officePhone: null,
  language: 'ja',
  timezone: 'Asia/Tokyo',
  admin: false,
  mfaRequired: false,
  loginDisabled: false,
  locked: true,
  emailUndeliverable: true,
  notificationEmail: 'desk@example.co.jp',
  createdAt: '2026-01-01T00:00:00.000Z',
};

function renderDetail(answer: Parameters<typeof fakeFetch>[0]) {
  const api = fakeFetch(answer);
  vi.stubGlobal('fetch', api.fetch);
  renderWithServices(
    <StepUpProvider>
      <Routes>
        <Route path="/admin/users/:id" element={<UserDetailPage />} />
      </Routes>
    </StepUpProvider>,
    { language: 'en', path: `/admin/users/${ID}` },
  );
  return api;
}

describe('UserDetailPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('clears the undeliverable mark and the lock, then shows the user as the server has it', async () => {
    let user = USER;
    const api = renderDetail((url, init) => {
      if (url.endsWith(`/admin/users/${ID}`)) {
        return { status: 200, body: user };
      }
      if (url.endsWith('/email-deliverable') && init.method === 'POST') {
        user = { ...user, emailUndeliverable: false };
        return { status: 204 };
      }
      if (url.endsWith('/unlock') && init.method === 'POST') {
        user = { ...user, locked: false };
        return { status: 204 };
      }
      return { status: 200, body: [] };
    });
    await screen.findByText(
      'The e-mail address jiro@example.co.jp is marked undeliverable: codes by e-mail do not reach it.',
    );
    fireEvent.click(screen.getByRole('button', { name: 'Mark as deliverable again' }));
    await screen.findByText('The e-mail address jiro@example.co.jp is deliverable.');
    expect(screen.queryByRole('button', { name: 'Mark as deliverable again' })).toBeNull();

    fireEvent.click(screen.getByRole('button', { name: 'Unlock' }));
    await screen.findByText('Not locked.');
    expect(api.calls.filter((c) => c.init.method === 'POST').map((c) => c.url)).toEqual([
      `/api/v1/admin/users/${ID}/email-deliverable`,
      `/api/v1/admin/users/${ID}/unlock`,
    ]);
  });

  it('removes the notification address with null when it is saved empty, and refuses a malformed one', async () => {
    const api = renderDetail((url, init) => {
      if (url.endsWith('/notification-email') && init.method === 'PUT') {
        const { email } = JSON.parse(String(init.body)) as { email: string | null };
        return { status: 200, body: { ...USER, notificationEmail: email } };
      }
      return { status: 200, body: USER };
    });
    const field = await screen.findByLabelText('Notification e-mail address');
    expect((field as HTMLInputElement).value).toBe('desk@example.co.jp');
    const save = () => fireEvent.click(screen.getAllByRole('button', { name: 'Save' })[1]);

    fireEvent.input(field, { target: { value: 'not an address' } });
    save();
    await screen.findByText('Please enter an e-mail address.');
    expect(api.calls.some((c) => c.init.method === 'PUT')).toBe(false);

    fireEvent.input(field, { target: { value: '' } });
    save();
    await screen.findByText('The address has been saved.');
    const put = api.calls.find((c) => c.init.method === 'PUT');
    expect(put?.url).toBe(`/api/v1/admin/users/${ID}/notification-email`);
    expect(JSON.parse(String(put?.init.body))).toEqual({ email: null });
  });

  it("shows the API's refusal of an ID that is taken, in the user's language", async () => {
    renderDetail((url, init) => {
      if (url.endsWith('/user-id') && init.method === 'PUT') {
        return {
          status: 409,
          body: { error: { code: 'user_id_taken', message: 'This ID is already in use.' } },
        };
      }
      return { status: 200, body: USER };
    });
    fireEvent.input(await screen.findByLabelText('New ID'), { target: { value: 'taken' } });
    fireEvent.click(screen.getByRole('button', { name: 'Change the ID' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('This ID is already in use.'));
  });
});
