import type { OrderLifecycleEvent } from '@ordertrack/shared';

export abstract class EventPublisher {
  /** Resolves only once every event is durably handed over; a rejection means none may be marked published. */
  abstract publish(events: readonly OrderLifecycleEvent[]): Promise<void>;
}

/** A handler that throws makes the bus deliver the batch again: consumers must be idempotent. */
export type EventBatchHandler = (events: readonly OrderLifecycleEvent[]) => Promise<void>;

export interface Subscription {
  close(): Promise<void>;
}

export interface SubscriptionOptions {
  /**
   * How long a bus may let events gather before it hands the group a batch. 0, the default, hands them over as
   * soon as they arrive (pushes); a sink that prefers few large writes (bulk indexing) trades this much latency
   * for them. A bus that delivers as the relay publishes (in-process) has nothing to gather and ignores it.
   */
  gatherMs?: number;
}

export abstract class EventSubscriber {
  /** Every consumer group receives every event once per group (at least once); order is kept per order id. */
  abstract subscribe(group: string, handler: EventBatchHandler, options?: SubscriptionOptions): Promise<Subscription>;
}
