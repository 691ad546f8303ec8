import { ApiError, NetworkError, toApiError } from './api-error';

export const API_BASE = '/api/v1';

export interface RequestOptions {
  body?: unknown;
  /** Query parameters; undefined values are left out. */
  query?: Record<string, string | number | undefined>;
  /** Send the access token (default true). */
  auth?: boolean;
  signal?: AbortSignal;
}

/** Where the client reads the token and the language, and how it renews a token (the session). */
export interface ClientContext {
  accessToken(): string | undefined;
  language(): string;
  /** Renews the access token once; resolves false when the session cannot go on. */
  renew(): Promise<boolean>;
}

/**
 * The portal's one way to the public API. The access token goes in the Authorization header, never
 * in a cookie, so a page on another site cannot make the browser send it (CSRF). The cookies the
 * API sets are sent along on the same origin: the trusted browser's (httpOnly, SameSite=Lax, path
 * /api/v1/auth) only lets a login that already knows the password skip the second step; the files
 * session's (httpOnly, SameSite=Strict) is read by the file downloads and exports only, on GET only:
 * a file is saved by following a plain link to `apiHref(…)` (see useFileDownload), never as a blob.
 */
export class ApiClient {
  constructor(private readonly context: ClientContext) {}

  get<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('GET', path, options);
  }

  post<T>(path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('POST', path, { ...options, body });
  }

  patch<T>(path: string, body?: unknown, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('PATCH', path, { ...options, body });
  }

  delete<T>(path: string, options: RequestOptions = {}): Promise<T> {
    return this.request<T>('DELETE', path, options);
  }

  /** A JSON answer with its headers, for pages whose next cursor comes in a header (`X-Next-Cursor`). */
  async getWithHeaders<T>(
    path: string,
    options: RequestOptions = {},
  ): Promise<{ body: T; headers: Headers }> {
    const response = await this.send('GET', path, options);
    const text = await response.text();
    return { body: (text ? JSON.parse(text) : undefined) as T, headers: response.headers };
  }

  async request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const response = await this.send(method, path, options);
    if (response.status === 204) {
      return undefined as T;
    }
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }

  private async send(method: string, path: string, options: RequestOptions): Promise<Response> {
    const auth = options.auth ?? true;
    let response = await this.fetchOnce(method, path, options, auth);
    // An access token lives 15 minutes: when it has run out, renew it once and repeat the call.
    // Only a refused token (`unauthorized`) is renewed: a wrong code or password is a 401 too, and
    // repeating it would count one mistake twice.
    if (
      response.status === 401 &&
      auth &&
      this.context.accessToken() &&
      (await refusedToken(response)) &&
      (await this.context.renew())
    ) {
      response = await this.fetchOnce(method, path, options, auth);
    }
    if (!response.ok) {
      throw toApiError(response.status, await readJson(response));
    }
    return response;
  }

  private async fetchOnce(
    method: string,
    path: string,
    options: RequestOptions,
    auth: boolean,
  ): Promise<Response> {
    const headers: Record<string, string> = {
      Accept: 'application/json',
      'Accept-Language': this.context.language(),
    };
    const token = auth ? this.context.accessToken() : undefined;
    if (token) {
      headers.Authorization = `Bearer ${token}`;
    }
    if (options.body !== undefined) {
      headers['Content-Type'] = 'application/json';
    }
    try {
      return await fetch(apiHref(path, options.query), {
        method,
        headers,
        body: options.body === undefined ? undefined : JSON.stringify(options.body),
        credentials: 'same-origin',
        cache: 'no-store',
        signal: options.signal,
      });
    } catch (error) {
      throw new NetworkError(error);
    }
  }
}

/** The address of an API route for a plain link (a file download), with its query. */
export function apiHref(path: string, query?: RequestOptions['query']): string {
  return API_BASE + path + queryString(query);
}

function queryString(query: RequestOptions['query']): string {
  if (!query) {
    return '';
  }
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined) {
      params.set(key, String(value));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** A 401 for the access token itself (or without an envelope), not for what the call carried. */
async function refusedToken(response: Response): Promise<boolean> {
  const body = await readJson(response.clone());
  const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
  return code === undefined || code === 'unauthorized';
}

async function readJson(response: Response): Promise<unknown> {
  try {
    return (await response.json()) as unknown;
  } catch {
    return undefined;
  }
}

export { ApiError };
