import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { i18n as I18n } from 'i18next';
import { createContext, useContext, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import { I18nextProvider } from 'react-i18next';
import { ApiClient } from '../api/api-client';
import { ApiError } from '../api/api-error';
import type { Tokens } from '../api/types';
import { currentLanguage } from '../i18n/i18n';
import { SessionStore, type SessionState } from './session-store';

export interface Services {
  api: ApiClient;
  session: SessionStore;
  queryClient: QueryClient;
}

const ServicesContext = createContext<Services | undefined>(undefined);

/** The API client, the in-memory session and the query cache, made once per page load. */
export function createServices(i18n: I18n): Services {
  // The refresh call sends no access token, so it never triggers a renewal of its own.
  const session: SessionStore = new SessionStore((refreshToken) =>
    api.post<Tokens>('/auth/refresh', { refreshToken }, { auth: false }),
  );
  const api = new ApiClient({
    accessToken: () => session.accessToken,
    language: () => currentLanguage(i18n),
    renew: () => session.renew(),
  });
  const queryClient = new QueryClient({
    defaultOptions: {
      queries: {
        // A 4xx will answer the same again; only a lost connection or a 5xx is worth a retry.
        retry: (failures, error) => failures < 2 && !(error instanceof ApiError && error.status < 500),
        refetchOnWindowFocus: false,
      },
    },
  });
  return { api, session, queryClient };
}

export function ServicesProvider({
  services,
  i18n,
  children,
}: {
  services: Services;
  i18n: I18n;
  children: ReactNode;
}) {
  return (
    <ServicesContext.Provider value={services}>
      <I18nextProvider i18n={i18n}>
        <QueryClientProvider client={services.queryClient}>{children}</QueryClientProvider>
      </I18nextProvider>
    </ServicesContext.Provider>
  );
}

export function useServices(): Services {
  const services = useContext(ServicesContext);
  if (!services) {
    throw new Error('useServices outside ServicesProvider');
  }
  return services;
}

export function useApi(): ApiClient {
  return useServices().api;
}

export function useSession(): SessionState & { store: SessionStore } {
  const { session } = useServices();
  const state = useSyncExternalStore(session.subscribe, session.snapshot);
  return useMemo(() => ({ ...state, store: session }), [state, session]);
}
