import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { renderWithServices } from '../test/render';
import { AnnouncementForm } from './announcement-form';
import { announcementBody, emptyAnnouncement, type AnnouncementValues } from './announcement-schema';

const SERVICES = [{ code: 'edr', name: { ja: 'EDR', en: 'EDR' } }];

function renderForm(defaults: Partial<AnnouncementValues> = {}) {
  const onSubmit = vi.fn();
  renderWithServices(
    <AnnouncementForm
      defaults={{ ...emptyAnnouncement(new Date('2026-05-01T00:00:00Z')), ...defaults }}
      services={SERVICES}
      submitLabel="Save"
      pending={false}
      onSubmit={onSubmit}
    />,
    { language: 'en' },
  );
  return onSubmit;
}

describe('AnnouncementForm', () => {
  it('asks for a title and a text before anything is sent', async () => {
    const onSubmit = renderForm();
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(screen.getAllByText('Please fill this in.')).toHaveLength(2));
    expect(screen.getByLabelText('Title').getAttribute('aria-invalid')).toBe('true');
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('refuses a window that ends before it starts', async () => {
    const onSubmit = renderForm({ title: 'Maintenance', body: 'On Sunday.' });
    fireEvent.input(screen.getByLabelText('Shown from'), { target: { value: '2026-05-10T10:00' } });
    fireEvent.input(screen.getByLabelText('Shown until (exclusive)'), {
      target: { value: '2026-05-09T10:00' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Please choose a time after the start.');
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('wants a tenant or a service when the audience is not everyone, and checks the numbers', async () => {
    const onSubmit = renderForm({ title: 'Maintenance', body: 'On Sunday.' });
    fireEvent.click(screen.getByLabelText('Named tenants or services'));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Name at least one customer number or service.');
    fireEvent.input(screen.getByLabelText('Customer numbers'), { target: { value: 'N2024, 12' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Some entries are not customer numbers.');
    expect(onSubmit).not.toHaveBeenCalled();
  });

  it('sends the window as instants and the named audience', async () => {
    const onSubmit = renderForm({ title: 'Maintenance', body: 'On Sunday.' });
    fireEvent.input(screen.getByLabelText('Related article number (optional)'), {
      target: { value: 'kb0000001' },
    });
    fireEvent.click(screen.getByLabelText('Show as a banner'));
    fireEvent.click(screen.getByLabelText('Named tenants or services'));
    fireEvent.input(screen.getByLabelText('Customer numbers'), {
      target: { value: 'n202400003 N202400004' },
    });
    fireEvent.click(screen.getByLabelText('EDR'));
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onSubmit).toHaveBeenCalledTimes(1));
    const values = onSubmit.mock.calls[0][0] as AnnouncementValues;
    expect(announcementBody(values, '<p>On Sunday.</p>')).toEqual({
      title: 'Maintenance',
      body: '<p>On Sunday.</p>',
      article: 'KB0000001',
      banner: true,
      from: new Date(values.from).toISOString(),
      to: new Date(values.to).toISOString(),
      audience: { tenants: ['N202400003', 'N202400004'], services: ['edr'] },
    });
    expect(new Date(values.to).getTime() - new Date(values.from).getTime()).toBe(7 * 24 * 3600 * 1000);
  });

  it('sends everyone as the audience by default', () => {
    const values = { ...emptyAnnouncement(new Date('2026-05-01T00:00:00Z')), title: 'A', body: 'B' };
    expect(announcementBody(values, '<p>B</p>').audience).toEqual({ all: true });
  });
});
