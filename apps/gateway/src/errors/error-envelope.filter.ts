import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus } from '@nestjs/common';
import type { Response } from 'express';
import type { Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import { DomainError, ERROR_CATALOG, ErrorCode, Language } from '@app/contracts';
import { RequestContext } from '@app/observability';
import { GatewayRequest } from '../request-context/gateway-request';
import { bodyParserErrorToDomain } from './body-parser-error.util';
import { ErrorBody } from './error-body';

export interface ErrorResponse {
  status: number;
  body: ErrorBody;
}

/** Nest and Express HTTP exceptions by status, for what does not arrive as a DomainError. */
const HTTP_STATUS_CODES: Partial<Record<number, ErrorCode>> = {
  [HttpStatus.BAD_REQUEST]: ErrorCode.ValidationFailed,
  [HttpStatus.UNAUTHORIZED]: ErrorCode.Unauthorized,
  [HttpStatus.FORBIDDEN]: ErrorCode.Forbidden,
  [HttpStatus.NOT_FOUND]: ErrorCode.NotFound,
  [HttpStatus.METHOD_NOT_ALLOWED]: ErrorCode.NotFound,
  [HttpStatus.PAYLOAD_TOO_LARGE]: ErrorCode.PayloadTooLarge,
  [HttpStatus.UNSUPPORTED_MEDIA_TYPE]: ErrorCode.ValidationFailed,
  [HttpStatus.UNPROCESSABLE_ENTITY]: ErrorCode.ValidationFailed,
  [HttpStatus.TOO_MANY_REQUESTS]: ErrorCode.RateLimited,
  [HttpStatus.SERVICE_UNAVAILABLE]: ErrorCode.ServiceUnavailable,
};

/**
 * The gateway's single exception filter (STYLE.md: the error mapping is written once). Whatever was
 * thrown — a DomainError from a service or a guard, a Nest HttpException, a body-parser error, a bug —
 * leaves as `{"error": {code, message, details?, requestId}}` with the status from ERROR_CATALOG and
 * the message in the user's language. Unknown errors are logged with their stack here and reach the
 * client only as `internal_error`, never with a message or stack trace of ours.
 */
@Catch()
export class ErrorEnvelopeFilter implements ExceptionFilter {
  constructor(private readonly logger: Logger) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const req = http.getRequest<Partial<GatewayRequest>>();
    const res = http.getResponse<Response>();
    const requestId = req.requestId ?? RequestContext.current()?.requestId ?? randomUUID();
    const { status, body } = this.toResponse(exception, req.language ?? 'en', requestId);
    if (status >= 500) {
      this.log(exception, status, requestId, req);
    }
    if (res.headersSent) {
      // The answer is already on its way (a stream broke mid-response): all we can do is log it.
      res.end();
      return;
    }
    const retryAfter = body.error.details?.retryAfter;
    if (typeof retryAfter === 'number' && (status === 429 || status === 423)) {
      res.setHeader('Retry-After', String(Math.max(0, Math.ceil(retryAfter))));
    }
    res.setHeader('X-Request-Id', requestId);
    res.status(status).json(body);
  }

  toResponse(exception: unknown, language: Language, requestId: string): ErrorResponse {
    const { code, details } = this.classify(exception);
    const entry = ERROR_CATALOG[code];
    const error: ErrorBody['error'] = { code, message: entry[language], requestId };
    if (details && Object.keys(details).length > 0) {
      error.details = details;
    }
    return { status: entry.status, body: { error } };
  }

  private classify(exception: unknown): { code: ErrorCode; details?: Record<string, unknown> } {
    if (exception instanceof DomainError) {
      return { code: exception.code, details: exception.details };
    }
    if (exception instanceof HttpException) {
      const code =
        HTTP_STATUS_CODES[exception.getStatus()] ??
        (exception.getStatus() < 500 ? ErrorCode.ValidationFailed : ErrorCode.InternalError);
      // An HttpException's own message may describe our internals; only the code goes out.
      return code === ErrorCode.ValidationFailed
        ? { code, details: { fields: { request: ['is malformed'] } } }
        : { code };
    }
    const fromParser = bodyParserErrorToDomain(exception);
    if (fromParser) {
      return { code: fromParser.code, details: fromParser.details };
    }
    return { code: ErrorCode.InternalError };
  }

  private log(exception: unknown, status: number, requestId: string, req: Partial<GatewayRequest>): void {
    // The route pattern, never the path: a path can carry a secret (a reset token) and is logged
    // exactly when a service is failing.
    const pattern = (req.route as { path?: unknown } | undefined)?.path;
    const route = typeof pattern === 'string' ? `${req.baseUrl ?? ''}${pattern}` : 'unmatched';
    const where = { requestId, method: req.method, route, status };
    if (exception instanceof DomainError) {
      // A service was unreachable or failed and said so; RpcClient / the service logged the cause.
      this.logger.warn({ ...where, errorCode: exception.code }, 'request failed');
      return;
    }
    const err =
      exception instanceof Error
        ? { name: exception.name, message: exception.message, stack: exception.stack }
        : { value: String(exception) };
    this.logger.error({ ...where, err }, 'unhandled error');
  }
}
