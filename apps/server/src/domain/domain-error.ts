/** Every rule violation the domain and application layers can report; http/error-mapping.ts turns each into a status. */
export type DomainErrorCode =
  | 'NOT_FOUND'
  | 'FORBIDDEN'
  | 'INVALID_TRANSITION'
  | 'VERSION_MISMATCH'
  | 'ORDER_EXISTS'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'EMAIL_TAKEN'
  | 'INVALID_CREDENTIALS'
  | 'UNAUTHENTICATED'
  | 'INVALID_CURSOR'
  | 'DEPENDENCY_UNAVAILABLE';

export class DomainError extends Error {
  override readonly name = 'DomainError';

  constructor(
    readonly code: DomainErrorCode,
    message: string,
  ) {
    super(message);
  }
}
