import { ArgumentsHost, Catch, HttpException, Logger, RpcExceptionFilter } from '@nestjs/common';
import type { Response } from 'express';
import { Observable, throwError } from 'rxjs';
import { DomainError, ErrorCode, ErrorPayload } from '@app/contracts';

/**
 * Turns whatever a handler threw into an ErrorPayload for the caller. A DomainError keeps its code
 * and details; anything else is logged here and leaves only as `internal_error`, never a stack trace.
 */
@Catch()
export class RpcErrorFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger('rpc');

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
