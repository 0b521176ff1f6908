/**
 * SQLSTATE codes that mean "the server cannot serve this connection right now", not "this query is wrong":
 * class 08 (connection exceptions), and the server shutting down or starting up (57P01-57P03, 57P05).
 */
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1235])$/;
/** Socket-level failures reaching the server. */
const UNAVAILABLE_SYSCALL_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH']);
/** node-postgres reports a dropped or unusable connection with a message and no code. */
const UNAVAILABLE_MESSAGE =
  /^(Connection terminated|Client has encountered a connection error|Client was closed|timeout exceeded when trying to connect)/;

/**
 * Whether a database call failed because PostgreSQL is unreachable (down, restarting, connection dropped), as
 * opposed to a bug or a constraint. Drivers wrap the original error (drizzle's "Failed query" has it as `cause`),
 * so the whole cause chain is examined.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && (UNAVAILABLE_SQLSTATE.test(code) || UNAVAILABLE_SYSCALL_CODES.has(code))) {
      return true;
    }
    if (UNAVAILABLE_MESSAGE.test(current.message)) return true;
    if (current instanceof AggregateError && current.errors.some(isDatabaseUnavailable)) return true;
    current = current.cause;
  }
  return false;
}
