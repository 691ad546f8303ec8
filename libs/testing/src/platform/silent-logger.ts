import pino from 'pino';
import type { AppLogger } from '@app/observability';

/** A logger for a class built by hand in a test, where nothing it logs is asserted. */
export function silentLogger(): AppLogger {
  return pino({ level: 'silent' });
}
