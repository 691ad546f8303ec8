import type { NextFunction, Request, Response } from 'express';
import { DomainError, ErrorCode } from '@app/contracts';
import { bodyParserErrorToDomain } from './body-parser-error.util';

/**
 * Express middleware around the JSON body parser. Its errors become domain errors handed on to Nest's
 * error handler, so they reach the one global exception filter; and a JSON body that is not an object
 * (every body of the API is one) is refused as malformed before validation makes odd field messages.
 */
export class BodyParserErrorHandler {
  handle(error: unknown, _req: Request, _res: Response, next: NextFunction): void {
    next(bodyParserErrorToDomain(error) ?? error);
  }

  requireObject(req: Request, _res: Response, next: NextFunction): void {
    const body: unknown = req.body;
    if (Array.isArray(body)) {
      next(new DomainError(ErrorCode.ValidationFailed, { fields: { body: ['must be a JSON object'] } }));
      return;
    }
    next();
  }
}
