import { HttpStatus } from '@nestjs/common';
import { isDatabaseUnavailable } from '../adapters/db/database-unavailable.js';
import { DomainError, type DomainErrorCode } from '../domain/domain-error.js';

/** The one place where error codes become HTTP statuses. */
export const HTTP_STATUS_BY_ERROR: Readonly<Record<DomainErrorCode, HttpStatus>> = {
  NOT_FOUND: HttpStatus.NOT_FOUND,
  FORBIDDEN: HttpStatus.FORBIDDEN,
  INVALID_TRANSITION: HttpStatus.CONFLICT,
  VERSION_MISMATCH: HttpStatus.PRECONDITION_FAILED,
  ORDER_EXISTS: HttpStatus.CONFLICT,
  IDEMPOTENCY_KEY_REUSED: HttpStatus.UNPROCESSABLE_ENTITY,
  EMAIL_TAKEN: HttpStatus.CONFLICT,
  INVALID_CREDENTIALS: HttpStatus.UNAUTHORIZED,
  UNAUTHENTICATED: HttpStatus.UNAUTHORIZED,
  INVALID_CURSOR: HttpStatus.BAD_REQUEST,
  DEPENDENCY_UNAVAILABLE: HttpStatus.SERVICE_UNAVAILABLE,
};

/** Seconds a client is asked to wait before retrying a request refused because a dependency is down. */
export const DEPENDENCY_RETRY_AFTER_SECONDS = 1;

/**
 * Infrastructure failures that are not bugs: a database that is down or restarting becomes the same
 * DEPENDENCY_UNAVAILABLE (503) a search outage is, instead of a 500. Anything else stays unexpected.
 */
export function asDomainError(exception: unknown): DomainError | undefined {
  if (exception instanceof DomainError) return exception;
  if (isDatabaseUnavailable(exception)) {
    return new DomainError('DEPENDENCY_UNAVAILABLE', 'the database is temporarily unavailable, retry shortly');
  }
  return undefined;
}

const REASON_PHRASES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export function reasonPhrase(status: number): string {
  return REASON_PHRASES[status] ?? (status >= 500 ? 'Server Error' : 'Client Error');
}
