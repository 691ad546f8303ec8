import { ErrorCode } from './error-code.enum';

/** Shape of an error as it crosses NATS and reaches the gateway. */
export interface ErrorPayload {
  code: ErrorCode;
  details?: Record<string, unknown>;
}

/**
 * The one error business code throws. It names a code, never an HTTP status: the gateway decides
 * the status from ERROR_CATALOG.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    readonly details?: Record<string, unknown>,
  ) {
    super(code);
    this.name = 'DomainError';
  }

  toPayload(): ErrorPayload {
    return this.details ? { code: this.code, details: this.details } : { code: this.code };
  }

  static isPayload(value: unknown): value is ErrorPayload {
    return (
      typeof value === 'object' &&
      value !== null &&
      typeof (value as { code?: unknown }).code === 'string' &&
      Object.values(ErrorCode).includes((value as { code: ErrorCode }).code)
    );
  }
}
