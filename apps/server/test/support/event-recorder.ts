import type { OrderLifecycleEvent } from '@ordertrack/shared';
import type { EventBatchHandler } from '../../src/application/ports/event-bus.port.js';
import { waitFor } from './wait-for.js';

/** A subscriber's handler that records every batch it was called with and whether it accepted it. */
export class EventRecorder {
  readonly accepted: (readonly OrderLifecycleEvent[])[] = [];
  readonly refused: (readonly OrderLifecycleEvent[])[] = [];
  /** Return true to make the handler throw for this batch. */
  refuse: (batch: readonly OrderLifecycleEvent[]) => boolean = () => false;

  readonly handler: EventBatchHandler = (batch) => {
    if (this.refuse(batch)) {
      this.refused.push(batch);
      return Promise.reject(new Error('handler refused the batch (test)'));
    }
    this.accepted.push(batch);
    return Promise.resolve();
  };

  get events(): OrderLifecycleEvent[] {
    return this.accepted.flat();
  }

  /** How often each event id was accepted. */
  counts(): Map<string, number> {
    const counts = new Map<string, number>();
    for (const event of this.events) counts.set(event.eventId, (counts.get(event.eventId) ?? 0) + 1);
    return counts;
  }

  /** For each of these events, how many times it was accepted. */
  timesAccepted(events: readonly OrderLifecycleEvent[]): number[] {
    const counts = this.counts();
    return events.map((event) => counts.get(event.eventId) ?? 0);
  }

  waitForAll(events: readonly OrderLifecycleEvent[], timeoutMs = 30_000): Promise<true> {
    return waitFor(
      `${events.length} events accepted`,
      () => {
        const counts = this.counts();
        return events.every((event) => counts.has(event.eventId)) ? true : undefined;
      },
      timeoutMs,
    );
  }
}
