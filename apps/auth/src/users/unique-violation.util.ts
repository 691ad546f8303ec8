import { QueryFailedError } from 'typeorm';

/**
 * True when PostgreSQL refused a write for a unique index (SQLSTATE 23505), optionally a named one.
 * Uniqueness is decided by the index, not by a read before the write, so two concurrent creations of
 * the same ID cannot both succeed.
 */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  if (!(error instanceof QueryFailedError)) {
    return false;
  }
  const driverError = error.driverError as { code?: string; constraint?: string } | undefined;
  return driverError?.code === '23505' && (constraint === undefined || driverError.constraint === constraint);
}
