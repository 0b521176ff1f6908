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

export abstract class EventSubscriber {
  /** Every consumer group receives every event once per group (at least once); order is kept per order id. */
  abstract subscribe(group: string, handler: EventBatchHandler): Promise<Subscription>;
}
