import { DomainError } from '../../domain/domain-error.js';

/**
 * Counts the order writes in flight and, once closed, refuses new ones (503, retry elsewhere). The outbox relay
 * closes it before its final drain, so every change a client was told succeeded has committed by then and leaves
 * with that drain, instead of racing it and waiting in the outbox for the next start.
 */
export class OrderWriteGate {
  private inFlight = 0;
  private closed = false;
  private whenIdle: (() => void) | undefined;

  async run<T>(write: () => Promise<T>): Promise<T> {
    if (this.closed) {
      throw new DomainError('DEPENDENCY_UNAVAILABLE', 'this instance is shutting down; retry the request');
    }
    this.inFlight += 1;
    try {
      return await write();
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0) this.whenIdle?.();
    }
  }

  /** Refuses writes from now on; resolves once those in flight have finished. */
  close(): Promise<void> {
    this.closed = true;
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => (this.whenIdle = resolve));
  }
}
