import { describe, expect, it } from 'vitest';
import { DomainError } from '../domain-error.js';
import { replayFor } from './idempotency.js';

describe('idempotency keys', () => {
  const existing = { requestHash: 'hash-of-first-body', orderId: 'first-order' };

  it('replays the first order for the same body', () => {
    expect(replayFor(existing, 'hash-of-first-body')).toEqual({ replayOrderId: 'first-order' });
  });

  it('refuses the key for a different body', () => {
    expect(() => replayFor(existing, 'hash-of-another-body')).toThrow(DomainError);
    try {
      replayFor(existing, 'hash-of-another-body');
    } catch (error) {
      expect((error as DomainError).code).toBe('IDEMPOTENCY_KEY_REUSED');
    }
  });
});
