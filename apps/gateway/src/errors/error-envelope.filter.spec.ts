import {
  ArgumentsHost,
  BadRequestException,
  ForbiddenException,
  HttpException,
  NotFoundException,
  PayloadTooLargeException,
} from '@nestjs/common';
import type { Logger } from 'pino';
import { DomainError, ERROR_CATALOG, ErrorCode } from '@app/contracts';
import { ErrorEnvelopeFilter } from './error-envelope.filter';

interface Captured {
  status?: number;
  body?: any;
  headers: Record<string, string>;
}

function httpHost(
  captured: Captured,
  req: Record<string, unknown> = { requestId: 'req-1', language: 'en', method: 'POST', path: '/x' },
): ArgumentsHost {
  const res = {
    headersSent: false,
    setHeader: (name: string, value: string) => {
      captured.headers[name.toLowerCase()] = value;
    },
    status(code: number) {
      captured.status = code;
      return this;
    },
    json(body: unknown) {
      captured.body = body;
      return this;
    },
    end: jest.fn(),
  };
  return {
    switchToHttp: () => ({ getRequest: () => req, getResponse: () => res }),
  } as unknown as ArgumentsHost;
}

describe(ErrorEnvelopeFilter.name, () => {
  const logger = { error: jest.fn(), warn: jest.fn() };
  const sut = new ErrorEnvelopeFilter(logger as unknown as Logger);

  function answer(exception: unknown, req?: Record<string, unknown>): Captured {
    const captured: Captured = { headers: {} };
    sut.catch(exception, httpHost(captured, req));
    return captured;
  }

  beforeEach(() => jest.clearAllMocks());

  it.each(Object.values(ErrorCode))('maps DomainError %s to its catalogue status and message', (code) => {
    const res = answer(new DomainError(code));
    expect(res.status).toBe(ERROR_CATALOG[code].status);
    expect(res.body).toEqual({ error: { code, message: ERROR_CATALOG[code].en, requestId: 'req-1' } });
  });

  it("answers in Japanese when the request's language is ja", () => {
    const res = answer(new DomainError(ErrorCode.InvalidCredentials), { requestId: 'r', language: 'ja' });
    expect(res.body.error.message).toBe(ERROR_CATALOG[ErrorCode.InvalidCredentials].ja);
  });

  it('keeps details and sets Retry-After from details.retryAfter', () => {
    const res = answer(new DomainError(ErrorCode.AccountLocked, { retryAfter: 1199.2 }));
    expect(res.status).toBe(423);
    expect(res.body.error.details).toEqual({ retryAfter: 1199.2 });
    expect(res.headers['retry-after']).toBe('1200');
    expect(res.headers['x-request-id']).toBe('req-1');
  });

  it.each([
    [new BadRequestException('internal detail'), 400, ErrorCode.ValidationFailed],
    [new NotFoundException('Cannot GET /secret/path'), 404, ErrorCode.NotFound],
    [new ForbiddenException(), 403, ErrorCode.Forbidden],
    [new PayloadTooLargeException(), 413, ErrorCode.PayloadTooLarge],
    [new HttpException('Too Many Requests', 429), 429, ErrorCode.RateLimited],
    [new HttpException('teapot', 418), 400, ErrorCode.ValidationFailed],
    [new HttpException('bad gateway', 502), 500, ErrorCode.InternalError],
  ])('maps %p to %i %s without its message', (exception, status, code) => {
    const res = answer(exception);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(JSON.stringify(res.body)).not.toMatch(/internal detail|secret|teapot|bad gateway/);
  });

  it('maps body-parser errors: bad JSON to validation_failed with fields, too large to 413', () => {
    const badJson = Object.assign(new SyntaxError('Unexpected token } in JSON at position 12'), {
      type: 'entity.parse.failed',
      status: 400,
    });
    const tooLarge = Object.assign(new Error('request entity too large'), {
      type: 'entity.too.large',
      status: 413,
    });
    const a = answer(badJson);
    expect(a.status).toBe(400);
    expect(a.body.error.code).toBe(ErrorCode.ValidationFailed);
    expect(a.body.error.details.fields.body).toEqual(expect.any(Array));
    expect(JSON.stringify(a.body)).not.toContain('Unexpected token');
    const b = answer(tooLarge);
    expect(b.status).toBe(413);
    expect(b.body.error.code).toBe(ErrorCode.PayloadTooLarge);
  });

  it('answers anything else as 500 internal_error, logs the stack and sends none', () => {
    const bug = new TypeError("Cannot read properties of undefined (reading 'password')");
    const res = answer(bug);
    expect(res.status).toBe(500);
    expect(res.body).toEqual({
      error: {
        code: ErrorCode.InternalError,
        message: ERROR_CATALOG[ErrorCode.InternalError].en,
        requestId: 'req-1',
      },
    });
    expect(JSON.stringify(res.body)).not.toMatch(/password|TypeError|at .*\.ts:\d+/);
    expect(logger.error).toHaveBeenCalledWith(
      expect.objectContaining({
        requestId: 'req-1',
        err: expect.objectContaining({ stack: expect.stringContaining('TypeError') }),
      }),
      'unhandled error',
    );
  });

  it('treats thrown non-errors as internal errors too', () => {
    expect(answer('a string').status).toBe(500);
    expect(answer(undefined).body.error.code).toBe(ErrorCode.InternalError);
  });

  it('still answers with an id when the request never got one', () => {
    const res = answer(new DomainError(ErrorCode.NotFound), {});
    expect(res.body.error.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.body.error.message).toBe(ERROR_CATALOG[ErrorCode.NotFound].en);
  });
});
