import { randomIp } from '../makers/test-values';

/** An HTTP answer with its body parsed when it is JSON. */
export interface Answer {
  status: number;
  body: any;
  headers: Headers;
  /** The access token the request carried, if any (a step-up is completed with it). */
  token?: string;
}

export interface CallOptions {
  body?: unknown;
  /** Sent exactly as given (malformed JSON), instead of `body`. */
  raw?: string;
  headers?: Record<string, string>;
  token?: string;
  /** The client address (X-Forwarded-For); a fresh random one when absent. */
  ip?: string;
}

/** fetch with a JSON body (or a raw string), from a given client address. */
export async function call(
  url: string,
  method: string,
  path: string,
  options: CallOptions = {},
): Promise<Answer> {
  const headers: Record<string, string> = { 'x-forwarded-for': options.ip ?? randomIp(), ...options.headers };
  if (options.token) {
    headers.authorization = `Bearer ${options.token}`;
  }
  let body: string | undefined;
  if (options.raw !== undefined) {
    body = options.raw;
    headers['content-type'] ??= 'application/json';
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers['content-type'] ??= 'application/json';
  }
  const res = await fetch(`${url}${path}`, { method, headers, body });
  const text = await res.text();
  const parsed = (res.headers.get('content-type') ?? '').includes('json') && text ? JSON.parse(text) : text;
  return { status: res.status, body: parsed, headers: res.headers, token: options.token };
}

/** Fails with the whole answer in the message, which says more than "expected 200, got 403". */
export function expectStatus(answer: Answer, status: number): void {
  if (answer.status !== status) {
    throw new Error(`expected HTTP ${status}, got ${answer.status}: ${JSON.stringify(answer.body)}`);
  }
}

/** The `error.code` of an answer, or undefined for a success. */
export function errorCode(answer: Answer): string | undefined {
  return (answer.body as { error?: { code?: string } } | undefined)?.error?.code;
}
