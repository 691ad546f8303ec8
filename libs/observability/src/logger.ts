import { LoggerService } from '@nestjs/common';
import pino, { Logger } from 'pino';
import { RequestContext } from './request-context';

/**
 * Paths never written to a log, whatever a caller passes: passwords, codes, tokens, secrets and
 * personal data (SPEC AUDIT-2 and the security basics).
 */
export const REDACTED_PATHS = [
  '*.password',
  '*.newPassword',
  '*.currentPassword',
  '*.initialPassword',
  '*.code',
  '*.token',
  '*.accessToken',
  '*.refreshToken',
  '*.deviceToken',
  '*.secret',
  '*.email',
  '*.phone',
  '*.to',
  '*.body',
  'req.headers.authorization',
  'req.headers.cookie',
  'req.headers["x-api-key"]',
];

export function createLogger(service: string, level = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({
    level,
    base: { service },
    redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    mixin() {
      const ctx = RequestContext.current();
      return ctx ? { requestId: ctx.requestId } : {};
    },
  });
}

/** Nest's logger interface on top of pino, so framework lines are JSON with the request id too. */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: Logger) {}

  log(message: unknown, context?: string): void {
    this.logger.info({ context }, String(message));
  }
  error(message: unknown, trace?: string, context?: string): void {
    this.logger.error({ context, trace }, String(message));
  }
  warn(message: unknown, context?: string): void {
    this.logger.warn({ context }, String(message));
  }
  debug(message: unknown, context?: string): void {
    this.logger.debug({ context }, String(message));
  }
  verbose(message: unknown, context?: string): void {
    this.logger.trace({ context }, String(message));
  }
}
