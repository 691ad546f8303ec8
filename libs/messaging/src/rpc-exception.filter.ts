import { ArgumentsHost, Catch, HttpException, RpcExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { Observable, throwError } from 'rxjs';
import { DomainError, ErrorCode, ErrorPayload } from '@app/contracts';
import { AppLogger, InjectLogger } from '@app/observability';
import { isUnavailableError } from './unavailable-error.util';

/**
 * Turns whatever a handler threw into an ErrorPayload for the caller. A DomainError keeps its code
 * and details; a dependency that is away (the database) leaves as `service_unavailable`; anything else
 * is logged here and leaves only as `internal_error`, never a stack trace.
 */
@Catch()
export class RpcErrorFilter implements RpcExceptionFilter<unknown> {
  private readonly logger: AppLogger;

  constructor(@InjectLogger() logger: AppLogger) {
    this.logger = logger.child({ component: 'rpc' });
  }

  catch(exception: unknown, host: ArgumentsHost): Observable<ErrorPayload> {
    if (host.getType() === 'http') {
      // The health/metrics port of a service: answer plainly, never with a stack trace.
      const status = exception instanceof HttpException ? exception.getStatus() : 500;
      host
        .switchToHttp()
        .getResponse<Response>()
        .status(status)
        .json({ error: { code: status === 404 ? ErrorCode.NotFound : ErrorCode.InternalError } });
      return throwError(() => exception);
    }
    if (exception instanceof DomainError) {
      return throwError(() => exception.toPayload());
    }
    if (isUnavailableError(exception)) {
      // The database is away (restarting, unreachable): a retryable 503, not a bug's 500.
      this.logger.warn(
        { err: exception instanceof Error ? exception.message : String(exception) },
        'dependency unavailable in rpc handler',
      );
      return throwError(() => ({ code: ErrorCode.ServiceUnavailable }));
    }
    this.logger.error(
      {
        err:
          exception instanceof Error
            ? { message: exception.message, stack: exception.stack }
            : String(exception),
      },
      'unhandled error in rpc handler',
    );
    return throwError(() => ({ code: ErrorCode.InternalError }));
  }
}
