import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StepUpProvider } from '../step-up/step-up';
import { fakeFetch, renderWithServices } from '../test/render';
import { Contracts, contractTermsBody, RepresentativeAdmin } from './tenant-page';

const HANAKO = {
  id: 'a1',
  userId: 'hanako',
  email: 'hanako@customer.example',
  familyName: '山田',
  givenName: '花子',
  loginDisabled: false,
  locked: false,
};
const TARO = {
  id: 'a2',
  userId: 'taro',
  email: 'taro@customer.example',
  familyName: '佐藤',
  givenName: null,
  loginDisabled: true,
  locked: true,
};

function renderSection(answer: Parameters<typeof fakeFetch>[0]) {
  const api = fakeFetch(answer);
  vi.stubGlobal('fetch', api.fetch);
  const { services } = renderWithServices(
    <StepUpProvider>
      <RepresentativeAdmin tenant="N202400003" />
    </StepUpProvider>,
    { language: 'en' },
  );
  services.session.signIn({ accessToken: 'ops', refreshToken: 'r', expiresIn: 900 });
  return api;
}

describe('RepresentativeAdmin', () => {
  afterEach(() => vi.unstubAllGlobals());

  it("lists the tenant's admins from the API, not only those made in this browser", async () => {
    const api = renderSection(() => ({ status: 200, body: [HANAKO, TARO] }));
    const list = await screen.findByRole('list', { name: "This tenant's admins" });
    const rows = within(list)
      .getAllByRole('listitem')
      .map((li) => li.textContent);
    expect(rows).toEqual([
      'hanako · 山田 花子 · hanako@customer.example',
      'taro · 佐藤 · taro@customer.example · login disabled · locked',
    ]);
    expect(api.calls[0].url).toBe('/api/v1/ops/tenants/N202400003/admins');
  });

  it('says when there is none, and reads the list again after creating one', async () => {
    let admins: unknown[] = [];
    const api = renderSection((url, init) => {
      if (init.method === 'POST') {
        admins = [HANAKO];
        return { status: 201, body: HANAKO };
      }
      return { status: 200, body: admins };
    });
    await screen.findByText('No representative admin yet.');
    fireEvent.input(screen.getByLabelText('ID'), { target: { value: 'hanako' } });
    fireEvent.input(screen.getByLabelText('E-mail address'), { target: { value: HANAKO.email } });
    fireEvent.input(screen.getByLabelText('Family name'), { target: { value: '山田' } });
    fireEvent.click(screen.getByRole('button', { name: 'Create the representative admin' }));
    const list = await screen.findByRole('list', { name: "This tenant's admins" });
    expect(within(list).getByText('hanako · 山田 花子 · hanako@customer.example')).toBeTruthy();
    await waitFor(() =>
      expect(api.calls.filter((c) => c.url.endsWith('/admins')).length).toBeGreaterThanOrEqual(2),
    );
  });
});

describe('Contracts', () => {
  afterEach(() => vi.unstubAllGlobals());

  const CONTRACT = {
    id: 'c1',
    tenant: 'N202400003',
    contractor: 'Customer',
    service: 'edr',
    serviceName: { ja: 'EDRサービス', en: 'EDR service' },
    startDate: '2026-04-01',
    licenceType: 'standard',
    idCount: 50,
  };

  it('sends an emptied term as null, which clears it, and keeps a wrong count from being sent', async () => {
    const api = fakeFetch((url, init) =>
      init.method === 'PUT'
        ? { status: 200, body: { ...CONTRACT, licenceType: null, idCount: null } }
        : { status: 200, body: url.endsWith('/contracts') ? [CONTRACT] : [] },
    );
    vi.stubGlobal('fetch', api.fetch);
    const { services } = renderWithServices(
      <StepUpProvider>
        <Contracts tenant="N202400003" />
      </StepUpProvider>,
      { language: 'en' },
    );
    services.session.signIn({ accessToken: 'ops', refreshToken: 'r', expiresIn: 900 });
    fireEvent.click(await screen.findByRole('button', { name: 'Change the EDR service contract' }));
    const row = screen.getByRole('listitem');
    fireEvent.input(within(row).getByLabelText('Contracted IDs'), { target: { value: 'many' } });
    fireEvent.click(within(row).getByRole('button', { name: 'Save' }));
    await within(row).findByText('Please enter a whole number, 0 or more.');
    expect(api.calls.some((c) => c.init.method === 'PUT')).toBe(false);

    fireEvent.input(within(row).getByLabelText('Contracted IDs'), { target: { value: '' } });
    fireEvent.input(within(row).getByLabelText('Licence type'), { target: { value: '' } });
    fireEvent.click(within(row).getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(api.calls.some((c) => c.init.method === 'PUT')).toBe(true));
    const put = api.calls.find((c) => c.init.method === 'PUT')!;
    expect(put.url).toBe('/api/v1/ops/contracts/c1');
    expect(JSON.parse(String(put.init.body))).toEqual({
      startDate: '2026-04-01',
      licenceType: null,
      idCount: null,
    });
  });

  it('builds the body from every term the form shows', () => {
    expect(contractTermsBody({ startDate: '2026-05-01', licenceType: 'pro', idCount: '0' })).toEqual({
      startDate: '2026-05-01',
      licenceType: 'pro',
      idCount: 0,
    });
  });
});
