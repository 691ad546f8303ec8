import { DomainError, ErrorCode } from '@app/contracts';

/** Largest JSON body the gateway reads; every contract body is far smaller. */
export const JSON_BODY_LIMIT_BYTES = 100 * 1024;

interface BodyParserError {
  type: string;
  status: number;
}

function isBodyParserError(error: unknown): error is BodyParserError {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { type?: unknown }).type === 'string' &&
    typeof (error as { status?: unknown }).status === 'number'
  );
}

/**
 * The body parser's own errors (http-errors with a `type`) as domain errors, so that bad JSON is a
 * `validation_failed` with `details.fields` and an oversized body a `payload_too_large`. Anything
 * else (including a parser failure on our side, 5xx) is not mapped and ends as `internal_error`.
 */
export function bodyParserErrorToDomain(error: unknown): DomainError | undefined {
  if (!isBodyParserError(error) || error.status < 400 || error.status >= 500) {
    return undefined;
  }
  switch (error.type) {
    case 'entity.too.large':
      return new DomainError(ErrorCode.PayloadTooLarge, { maxBytes: JSON_BODY_LIMIT_BYTES });
    case 'entity.parse.failed':
      return new DomainError(ErrorCode.ValidationFailed, {
        fields: { body: ['must be a valid JSON object'] },
      });
    case 'encoding.unsupported':
    case 'charset.unsupported':
      return new DomainError(ErrorCode.ValidationFailed, { fields: { body: ['must be JSON in UTF-8'] } });
    default:
      return new DomainError(ErrorCode.ValidationFailed, { fields: { body: ['could not be read'] } });
  }
}
