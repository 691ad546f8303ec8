import type { TenantMembership, Tokens } from '../api/types';

export interface SessionState {
  signedIn: boolean;
  tenants: TenantMembership[];
  activeTenant: string | null;
}

type RefreshCall = (refreshToken: string) => Promise<Tokens>;

/** Renew this long before the access token runs out, so a call rarely meets an expired one. */
const RENEW_MARGIN_MS = 60_000;

/**
 * The session's tokens, kept in this object only: never in localStorage, sessionStorage or a cookie
 * a script can read, so an injected script finds nothing stored and a reload ends the session (the
 * trusted-browser cookie, httpOnly, still spares a trusted browser the second step on the next
 * login). The refresh token rotates on every use (API.md: a reused one ends the session), so
 * renewals are single-flight: two calls meeting an expired token share one refresh.
 */
export class SessionStore {
  private access?: string;
  private refresh?: string;
  private state: SessionState = { signedIn: false, tenants: [], activeTenant: null };
  private listeners = new Set<() => void>();
  private renewing?: Promise<boolean>;
  private timer?: ReturnType<typeof setTimeout>;

  constructor(private readonly refreshCall: RefreshCall) {}

  get accessToken(): string | undefined {
    return this.access;
  }

  snapshot = (): SessionState => this.state;

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** Keeps the tokens of a login, a tenant switch or a renewal. */
  signIn(tokens: Tokens): void {
    this.access = tokens.accessToken;
    this.refresh = tokens.refreshToken;
    this.state = {
      signedIn: true,
      tenants: tokens.tenants ?? this.state.tenants,
      activeTenant: tokens.activeTenant === undefined ? this.state.activeTenant : tokens.activeTenant,
    };
    this.schedule(tokens.expiresIn);
    this.emit();
  }

  signOut(): void {
    this.access = undefined;
    this.refresh = undefined;
    clearTimeout(this.timer);
    this.state = { signedIn: false, tenants: [], activeTenant: null };
    this.emit();
  }

  /** One refresh at a time; false (and signed out) when the server refuses the refresh token. */
  renew(): Promise<boolean> {
    if (!this.refresh) {
      return Promise.resolve(false);
    }
    this.renewing ??= this.refreshCall(this.refresh)
      .then((tokens) => {
        this.signIn(tokens);
        return true;
      })
      .catch(() => {
        this.signOut();
        return false;
      })
      .finally(() => {
        this.renewing = undefined;
      });
    return this.renewing;
  }

  private schedule(expiresInSeconds: number): void {
    clearTimeout(this.timer);
    const delay = Math.max(expiresInSeconds * 1000 - RENEW_MARGIN_MS, 5_000);
    this.timer = setTimeout(() => void this.renew(), delay);
  }

  private emit(): void {
    for (const listener of this.listeners) {
      listener();
    }
  }
}
