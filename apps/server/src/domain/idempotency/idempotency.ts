import { DomainError } from '../domain-error.js';

export interface IdempotencyRecord {
  requestHash: string;
  orderId: string;
}

/**
 * What a request carrying an already-used Idempotency-Key gets: the first result when the body is the same,
 * a refusal when it differs (the client is reusing a key for a different purchase).
 */
export function replayFor(existing: IdempotencyRecord, requestHash: string): { replayOrderId: string } {
  if (existing.requestHash !== requestHash) {
    throw new DomainError(
      'IDEMPOTENCY_KEY_REUSED',
      'this Idempotency-Key was already used with a different request body',
    );
  }
  return { replayOrderId: existing.orderId };
}
