import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';
import { RequestContext } from './request-context';

const SECRET_KEYS = [
  'password',
  'newPassword',
  'currentPassword',
  'initialPassword',
  'code',
  'token',
  'accessToken',
  'refreshToken',
  'deviceToken',
  'secret',
  'email',
  'phone',
];

/**
 * Paths never written to a log, whatever a caller passes: passwords, codes, tokens, secrets and
 * personal data (SPEC AUDIT-2 and the security basics), at the top level and one level down.
 * `to` and `body` are redacted one level down only: the development outbox prints a message's
 * recipient and text at the top level on purpose (API.md), and only when NODE_ENV=development.
 */
export const REDACTED_PATHS = [
  ...SECRET_KEYS,
  ...SECRET_KEYS.map((key) => `*.${key}`),
  '*.to',
  '*.body',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
];

/**
 * An error under `err` as its type, code, message and stack only: an error's other fields (a failed
 * query's parameters, a mail library's envelope) may hold personal data or secrets.
 */
export function errorFields(value: unknown): unknown {
  if (!(value instanceof Error)) {
    return value;
  }
  const code = (value as { code?: unknown }).code;
  return {
    type: value.name,
    message: value.message,
    ...(typeof code === 'string' || typeof code === 'number' ? { code } : {}),
    stack: value.stack,
  };
}

/** The service's logger: JSON lines at `level`, redacted, errors under `err`, the request id on each. */
export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { service },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    serializers: { err: errorFields },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin() {
      const ctx = RequestContext.current();
      return ctx ? { requestId: ctx.requestId } : {};
    },
  });
}

type Level = 'info' | 'error' | 'warn' | 'debug' | 'trace';

/**
 * Nest's logger interface on top of pino, so framework lines are JSON with the request id too. Nest
 * passes `(message, ...params, context)`; an object message becomes structured fields.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, ...params: unknown[]): void {
    this.write('info', message, params);
  }
  error(message: unknown, ...params: unknown[]): void {
    this.write('error', message, params);
  }
  warn(message: unknown, ...params: unknown[]): void {
    this.write('warn', message, params);
  }
  debug(message: unknown, ...params: unknown[]): void {
    this.write('debug', message, params);
  }
  verbose(message: unknown, ...params: unknown[]): void {
    this.write('trace', message, params);
  }

  private write(level: Level, message: unknown, params: unknown[]): void {
    const context =
      params.length > 0 && typeof params[params.length - 1] === 'string'
        ? (params.pop() as string)
        : undefined;
    const text = params.filter((p): p is string => typeof p === 'string');
    if (typeof message === 'object' && message !== null && !(message instanceof Error)) {
      this.logger[level]({ context, ...(message as Record<string, unknown>) }, text.join(' ') || undefined);
    } else if (message instanceof Error) {
      this.logger[level]({ context, err: message }, text.join(' ') || message.message);
    } else {
      // For error(message, stack, context) the stack arrives as the first extra string.
      const [first, ...rest] = text;
      const looksLikeStack = level === 'error' && first !== undefined && first.includes('\n    at ');
      this.logger[level](
        { context, ...(looksLikeStack ? { trace: first } : {}) },
        [String(message), ...(looksLikeStack ? rest : text)].join(' '),
      );
    }
  }
}
