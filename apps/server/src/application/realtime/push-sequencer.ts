import type { OrderLifecycleEvent } from '@ordertrack/shared';
import { LeastRecentlyUsed } from '../least-recently-used.js';

export type PushPlan =
  | { kind: 'push' }
  | { kind: 'duplicate' }
  /** Versions after `afterVersion` and before this event's must be pushed first (read from the history). */
  | { kind: 'fill'; afterVersion: number };

/**
 * Keeps pushes of each order in version order, once. An order's events travel on different Kafka topics, so they
 * can arrive out of order or again after a redelivery; the sequencer remembers the last version pushed per order
 * (bounded, least recently used first out) and says whether an arriving event goes out now, is a duplicate, or
 * needs the versions in between fetched first. An order it has not seen yet is filled from version 1: after a
 * restart that may repeat a version a client already has (clients ignore versions they have), but never skip one.
 */
export class PushSequencer {
  private readonly lastPushed: LeastRecentlyUsed<string, number>;

  constructor(capacity = 100_000) {
    this.lastPushed = new LeastRecentlyUsed(capacity);
  }

  plan(event: OrderLifecycleEvent): PushPlan {
    const last = this.lastPushed.peek(event.orderId) ?? 0;
    if (event.version <= last) return { kind: 'duplicate' };
    if (event.version === last + 1) return { kind: 'push' };
    return { kind: 'fill', afterVersion: last };
  }

  markPushed(orderId: string, version: number): void {
    this.lastPushed.set(orderId, version);
  }
}
