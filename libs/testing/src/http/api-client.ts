/** A thin JSON client for the gateway, as a web frontend would use it. */
export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export class ApiClient {
  constructor(
    readonly baseUrl: string,
    private accessToken?: string,
  ) {}

  withToken(accessToken: string): ApiClient {
    return new ApiClient(this.baseUrl, accessToken);
  }

  get<T = any>(path: string, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    return this.request<T>('GET', path, undefined, headers);
  }

  post<T = any>(path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiResponse<T>> {
    return this.request<T>('POST', path, body, headers);
  }

  /** Sends `raw` as the body exactly as given (for malformed JSON). */
  async postRaw(path: string, raw: string, headers: Record<string, string> = {}): Promise<ApiResponse> {
    return this.send('POST', path, raw, { 'content-type': 'application/json', ...headers });
  }

  async request<T = any>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const hasBody = body !== undefined;
    return this.send(method, path, hasBody ? JSON.stringify(body) : undefined, {
      ...(hasBody ? { 'content-type': 'application/json' } : {}),
      ...headers,
    });
  }

  private async send(
    method: string,
    path: string,
    body: string | undefined,
    headers: Record<string, string>,
  ): Promise<ApiResponse> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      body,
      headers: { ...(this.accessToken ? { authorization: `Bearer ${this.accessToken}` } : {}), ...headers },
    });
    const text = await res.text();
    let parsed: unknown = text;
    if ((res.headers.get('content-type') ?? '').includes('json') && text.length > 0) {
      parsed = JSON.parse(text);
    }
    return { status: res.status, body: parsed, headers: res.headers };
  }
}

/** An error body without its per-request id, to compare two answers. */
export function withoutRequestId(body: any): unknown {
  if (body && typeof body === 'object' && body.error) {
    const { requestId: _ignored, ...rest } = body.error;
    return { error: rest };
  }
  return body;
}
