import { ArgumentsHost, Catch, Logger, RpcExceptionFilter } from '@nestjs/common';
import { Observable, throwError } from 'rxjs';
import { DomainError, ErrorCode, ErrorPayload } from '@app/contracts';

/**
 * Turns whatever a handler threw into an ErrorPayload for the caller. A DomainError keeps its code
 * and details; anything else is logged here and leaves only as `internal_error`, never a stack trace.
 */
@Catch()
export class RpcErrorFilter implements RpcExceptionFilter<unknown> {
  private readonly logger = new Logger('rpc');

  catch(exception: unknown, _host: ArgumentsHost): Observable<ErrorPayload> {
    if (exception instanceof DomainError) {
      return throwError(() => exception.toPayload());
    }
    this.logger.error(
      { err: exception instanceof Error ? { message: exception.message, stack: exception.stack } : String(exception) },
      'unhandled error in rpc handler',
    );
    return throwError(() => ({ code: ErrorCode.InternalError }));
  }
}
