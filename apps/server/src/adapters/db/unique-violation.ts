const UNIQUE_VIOLATION = '23505';

/**
 * Whether a query failed on the named unique constraint. Drivers wrap the server's error (drizzle's "Failed
 * query" has it as `cause`), so the cause chain is examined.
 */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 5; depth += 1) {
    const fields = current as { code?: unknown; constraint?: unknown };
    if (fields.code === UNIQUE_VIOLATION) return fields.constraint === constraint;
    current = current.cause;
  }
  return false;
}
