/** The API's error envelope (API.md, "Errors"): one shape for every failed call. */
export interface ErrorEnvelope {
  error: {
    code: string;
    message: string;
    details?: Record<string, unknown>;
    requestId?: string;
  };
}

/** A failed call: the envelope's code, message (already in the user's language) and details. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown> = {},
    readonly requestId?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** `details.retryAfter` (seconds) of account_locked, resend_too_soon, too_many_messages …, if any. */
  get retryAfterSeconds(): number | undefined {
    const value = this.details.retryAfter;
    return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
  }
}

/** The request never got an answer (offline, gateway down, aborted). */
export class NetworkError extends Error {
  constructor(cause: unknown) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = 'NetworkError';
  }
}

function isEnvelope(body: unknown): body is ErrorEnvelope {
  if (typeof body !== 'object' || body === null || !('error' in body)) {
    return false;
  }
  const error = (body as { error: unknown }).error;
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string' &&
    typeof (error as { message?: unknown }).message === 'string'
  );
}

/**
 * An answer's body as an ApiError. A proxy's HTML error page or an empty body still becomes an
 * error with a code the UI knows (`http_<status>`), so no screen shows raw markup.
 */
export function toApiError(status: number, body: unknown): ApiError {
  if (isEnvelope(body)) {
    const { code, message, details, requestId } = body.error;
    return new ApiError(status, code, message, details ?? {}, requestId);
  }
  return new ApiError(status, `http_${status}`, '');
}

type Translate = (key: string, options?: Record<string, unknown>) => string;

/**
 * What a screen shows for a failed call, in the user's language. The gateway writes the envelope's
 * message in the language the request asked for (Accept-Language), so it is shown as it is; a wait
 * the server names is added as the clock time it ends, and errors without an envelope get ours.
 */
export function errorText(error: unknown, t: Translate, now: Date = new Date()): string {
  if (error instanceof NetworkError) {
    return t('errors.network');
  }
  if (!(error instanceof ApiError)) {
    return t('errors.unexpected');
  }
  const base = error.message || t(error.status >= 500 ? 'errors.server' : 'errors.unexpected');
  const retryAfter = error.retryAfterSeconds;
  if (retryAfter === undefined || retryAfter === 0) {
    return base;
  }
  const at = new Date(now.getTime() + retryAfter * 1000);
  const time = at.toLocaleTimeString(t('locale'), { hour: '2-digit', minute: '2-digit' });
  return `${base} ${t('errors.retryAt', { time })}`;
}
