import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeFetch, renderWithServices } from '../test/render';
import { NewInquiryPage } from './new-inquiry-page';

const SERVICES = [
  {
    id: 'c1',
    contractor: 'Customer',
    customerNumber: 'N1',
    service: 'EDR service',
    serviceCode: 'edr',
    startDate: '2026-04-01',
  },
];

const CATEGORIES = [
  { code: 'billing', label: { ja: '請求について', en: 'About billing' } },
  { code: 'service', label: { ja: 'サービスについて', en: 'About the service' } },
];

function setup(answer: Parameters<typeof fakeFetch>[0]) {
  // The categories come from the API (operators keep them), never from the portal's own list.
  const api = fakeFetch((url, init) =>
    url.endsWith('/case-categories') ? { status: 200, body: CATEGORIES } : answer(url, init),
  );
  vi.stubGlobal('fetch', api.fetch);
  renderWithServices(<NewInquiryPage />, { language: 'en', path: '/cases/new' });
  return api;
}

async function fill() {
  await screen.findByRole('option', { name: 'EDR service' });
  fireEvent.change(screen.getByLabelText('Service'), { target: { value: 'edr' } });
  fireEvent.click(screen.getByLabelText('About the service'));
  fireEvent.change(screen.getByLabelText('Subject'), { target: { value: 'Cannot log in' } });
  fireEvent.change(screen.getByLabelText('Description'), { target: { value: 'Since <today>\nit fails.' } });
}

describe('NewInquiryPage', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('offers the categories the API lists, in the reader’s language', async () => {
    setup((url) => (url.endsWith('/service-settings') ? { status: 200, body: SERVICES } : { status: 500 }));
    const group = await screen.findByRole('group', { name: 'Category' });
    const radios = within(group).getAllByRole('radio');
    expect(radios.map((r) => (r as HTMLInputElement).value)).toEqual(['billing', 'service']);
    expect(within(group).getByLabelText('About billing')).toBeTruthy();
    expect(within(group).queryByLabelText('About a fault')).toBeNull();
  });

  it('names every missing field and sends nothing', async () => {
    const api = setup((url) =>
      url.endsWith('/service-settings') ? { status: 200, body: SERVICES } : { status: 500 },
    );
    await screen.findByRole('option', { name: 'EDR service' });
    fireEvent.click(screen.getByRole('button', { name: 'Send the inquiry' }));
    await screen.findByText('Choose a service.');
    expect(screen.getByText('Choose a category.')).toBeTruthy();
    expect(screen.getAllByText('Please fill this in.')).toHaveLength(2);
    expect(screen.getByLabelText('Subject').getAttribute('aria-invalid')).toBe('true');
    expect(api.calls.filter((c) => c.init.method === 'POST')).toHaveLength(0);
  });

  it('sends the inquiry with the description as escaped HTML', async () => {
    const api = setup((url, init) =>
      url.endsWith('/service-settings')
        ? { status: 200, body: SERVICES }
        : init.method === 'POST'
          ? { status: 201, body: { number: 'CS0000009' } }
          : { status: 200, body: {} },
    );
    await fill();
    fireEvent.click(screen.getByRole('button', { name: 'Send the inquiry' }));
    await waitFor(() => expect(api.calls.some((c) => c.init.method === 'POST')).toBe(true));
    const post = api.calls.find((c) => c.init.method === 'POST')!;
    expect(post.url).toBe('/api/v1/cases');
    expect(JSON.parse(String(post.init.body))).toEqual({
      service: 'edr',
      category: 'service',
      subject: 'Cannot log in',
      description: '<p>Since &lt;today&gt;<br>it fails.</p>',
    });
  });

  it('explains the one-open-inquiry rule and links the open inquiry', async () => {
    setup((url, init) =>
      url.endsWith('/service-settings')
        ? { status: 200, body: SERVICES }
        : init.method === 'POST'
          ? {
              status: 409,
              body: {
                error: { code: 'open_inquiry_exists', message: 'open', details: { number: 'CS0000003' } },
              },
            }
          : { status: 500 },
    );
    await fill();
    fireEvent.click(screen.getByRole('button', { name: 'Send the inquiry' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('There is already an open inquiry for this service.');
    expect(screen.getByRole('link', { name: 'Open the open inquiry CS0000003' }).getAttribute('href')).toBe(
      '/cases/CS0000003',
    );
  });
});
