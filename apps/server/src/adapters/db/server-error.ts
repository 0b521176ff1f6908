export const UNIQUE_VIOLATION = '23505';
/** SQLSTATE classes are two digits, or F0, HV, P0, XX; socket codes such as EPIPE are not among them. */
const SQLSTATE = /^([0-5][0-9A-Z]|F0|HV|P0|XX)[0-9A-Z]{3}$/;

export interface ServerError {
  /** The SQLSTATE. */
  code: string;
  constraint: string | undefined;
}

/**
 * The PostgreSQL error behind a failed query, if the server raised one. Drivers wrap it (drizzle's "Failed query"
 * has it as `cause`), so the cause chain is examined.
 */
export function serverError(error: unknown): ServerError | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth += 1) {
    const { code, constraint } = current as { code?: unknown; constraint?: unknown };
    if (typeof code === 'string' && SQLSTATE.test(code)) {
      return { code, constraint: typeof constraint === 'string' ? constraint : undefined };
    }
    current = current.cause;
  }
  return undefined;
}
