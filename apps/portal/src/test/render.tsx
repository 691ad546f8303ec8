import { render } from '@testing-library/react';
import type { ReactElement } from 'react';
import { MemoryRouter } from 'react-router';
import { createI18n, type Language } from '../i18n/i18n';
import { createServices, ServicesProvider } from '../session/services';

/** Renders `ui` with the portal's providers, in one language, at a route. */
export function renderWithServices(ui: ReactElement, options: { language?: Language; path?: string } = {}) {
  const i18n = createI18n({ detect: false, language: options.language ?? 'ja' });
  const services = createServices(i18n);
  const result = render(
    <ServicesProvider services={services} i18n={i18n}>
      <MemoryRouter initialEntries={[options.path ?? '/']}>{ui}</MemoryRouter>
    </ServicesProvider>,
  );
  return { ...result, i18n, services };
}

/** A fetch answering JSON, recording every request. */
export function fakeFetch(answer: (url: string, init: RequestInit) => { status: number; body?: unknown }) {
  const calls: { url: string; init: RequestInit }[] = [];
  const fetch = (url: string | URL | Request, init: RequestInit = {}) => {
    calls.push({ url: String(url), init });
    const { status, body } = answer(String(url), init);
    return Promise.resolve(
      new Response(body === undefined ? null : JSON.stringify(body), {
        status,
        headers: { 'Content-Type': 'application/json' },
      }),
    );
  };
  return { fetch, calls };
}
