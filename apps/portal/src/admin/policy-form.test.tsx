import { fireEvent, screen } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { StepUpProvider } from '../step-up/step-up';
import { fakeFetch, renderWithServices } from '../test/render';
import { policyBody, policySchema, policyValues } from './policy-form';
import { PolicyEditor } from './security-policy-page';

describe('the security policy form', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('maps the default trusted-browser time to null and a number of days to a number', () => {
    expect(policyValues({ mfaAlways: true, trustedBrowserDays: null })).toEqual({
      mfaAlways: true,
      trustedBrowser: 'default',
      days: '',
    });
    expect(policyBody({ mfaAlways: false, trustedBrowser: 'days', days: '30' })).toEqual({
      mfaAlways: false,
      trustedBrowserDays: 30,
    });
    // Days typed before switching back to the default are not sent.
    expect(policyBody({ mfaAlways: false, trustedBrowser: 'default', days: '30' })).toEqual({
      mfaAlways: false,
      trustedBrowserDays: null,
    });
  });

  it('takes whole days from 1 to 90 only', () => {
    const days = (value: string) =>
      policySchema.safeParse({ mfaAlways: false, trustedBrowser: 'days', days: value });
    expect(days('1').success).toBe(true);
    expect(days('90').success).toBe(true);
    for (const wrong of ['0', '91', '1.5', '-3', '', 'ten']) {
      expect(days(wrong).error?.issues[0].message).toBe('admin.validation.days');
    }
  });

  it('shows a wrong number of days at the field and sends nothing, then saves the corrected policy', async () => {
    const api = fakeFetch((url, init) =>
      url.endsWith('/admin/security-policy') && init.method === 'PUT'
        ? { status: 200, body: JSON.parse(String(init.body)) as unknown }
        : { status: 500 },
    );
    vi.stubGlobal('fetch', api.fetch);
    renderWithServices(
      <StepUpProvider>
        <PolicyEditor policy={{ mfaAlways: false, trustedBrowserDays: null }} />
      </StepUpProvider>,
      { language: 'en' },
    );
    fireEvent.click(screen.getByLabelText('Ask everyone for a second step at every login'));
    fireEvent.click(screen.getByLabelText('A number of days'));
    fireEvent.input(screen.getByLabelText('Days (1–90)'), { target: { value: '120' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('Please enter a whole number from 1 to 90.');
    expect(api.calls).toHaveLength(0);

    fireEvent.input(screen.getByLabelText('Days (1–90)'), { target: { value: '30' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByText('The security policy has been saved.');
    expect(api.calls).toHaveLength(1);
    expect(JSON.parse(String(api.calls[0].init.body))).toEqual({ mfaAlways: true, trustedBrowserDays: 30 });
  });
});
