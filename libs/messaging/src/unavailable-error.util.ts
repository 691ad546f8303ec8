/** Node socket error codes of a server that cannot be reached or dropped the connection. */
const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENOTFOUND',
]);

/**
 * PostgreSQL SQLSTATEs that say "the database is not there right now", not "your query is wrong":
 * class 08 (connection exception), the server shutting down or starting (57P01-57P03), too many
 * connections (53300).
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[123]|53300)$/;

/** Messages of node-postgres for a connection lost or never made (it sets no code for these). */
const UNAVAILABLE_MESSAGES = [
  'Connection terminated',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error',
  'Connection terminated unexpectedly',
];

/**
 * Whether an error a handler threw means a dependency (the database) is unavailable, as opposed to a
 * bug: such a request answers `503 service_unavailable`, which a client may retry, not
 * `500 internal_error`. Looks through TypeORM's `driverError` and an error's `cause`.
 */
export function isUnavailableError(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== 'object' || depth > 3) {
    return false;
  }
  const { code, message, driverError, cause } = error as {
    code?: unknown;
    message?: unknown;
    driverError?: unknown;
    cause?: unknown;
  };
  if (typeof code === 'string' && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATE.test(code))) {
    return true;
  }
  if (typeof message === 'string' && UNAVAILABLE_MESSAGES.some((m) => message.startsWith(m))) {
    return true;
  }
  return isUnavailableError(driverError, depth + 1) || isUnavailableError(cause, depth + 1);
}
