import { randomUUID } from 'node:crypto';
import type { OrderLifecycleEvent } from '@ordertrack/shared';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type {
  EventBatchHandler,
  EventPublisher,
  EventSubscriber,
  Subscription,
} from '../../src/application/ports/event-bus.port.js';
import { EventRecorder } from '../support/event-recorder.js';
import { interleavedLifecycles, orderLifecycle } from '../support/lifecycle-events.js';
import { waitFor } from '../support/wait-for.js';

export interface BusUnderTest {
  publisher: EventPublisher;
  subscriber: EventSubscriber;
  close(): Promise<void>;
}

export type BusFactory = () => Promise<BusUnderTest>;

/** Publishes the way the outbox relay does: a rejected batch is sent again until the bus accepts it. */
export async function publishUntilAccepted(
  publisher: EventPublisher,
  events: readonly OrderLifecycleEvent[],
  timeoutMs = 30_000,
): Promise<void> {
  await waitFor(
    'the bus to accept the batch',
    async () => {
      await publisher.publish(events);
      return true;
    },
    timeoutMs,
  );
}

/**
 * What every event bus guarantees, given a producer that behaves like the outbox relay (an order's events are
 * published in version order, and a rejected publish is retried):
 *  1. every published event reaches every consumer group at least once;
 *  2. groups are independent: each one receives every event;
 *  3. a handler that throws is given those events again: nothing is skipped;
 *  4. without failures each event reaches a group exactly once; duplicates appear only after a failure
 *     (a handler that threw, a publish retried, a crash or a rebalance), so consumers deduplicate by eventId;
 *  5. within one batch an order's events are in ascending version order. Across batches there is no ordering
 *     promise (Kafka reads the four lifecycle topics independently), so consumers compare versions.
 */
/**
 * A new group may also receive what earlier tests published (Kafka starts a new group at the oldest message),
 * so assertions look only at the events a test published itself.
 */
export function eventBusContract(adapterName: string, factory: BusFactory): void {
  describe(`event bus contract: ${adapterName}`, () => {
    let bus: BusUnderTest;
    const subscriptions: Subscription[] = [];
    const group = (name: string): string => `${name}-${randomUUID().slice(0, 8)}`;
    const subscribe = async (name: string, recorder: EventRecorder): Promise<void> => {
      subscriptions.push(await bus.subscriber.subscribe(group(name), recorder.handler));
    };

    beforeAll(async () => {
      bus = await factory();
    });

    afterEach(async () => {
      await Promise.all(subscriptions.splice(0).map((subscription) => subscription.close()));
    });

    afterAll(async () => {
      await bus.close();
    });

    it('delivers every published event to a subscriber, once when nothing fails', async () => {
      const recorder = new EventRecorder();
      await subscribe('every-event', recorder);
      const first = interleavedLifecycles(3, 2);
      const second = [...orderLifecycle(4), ...orderLifecycle(1)];
      await publishUntilAccepted(bus.publisher, first);
      await publishUntilAccepted(bus.publisher, second);

      await recorder.waitForAll([...first, ...second]);
      expect(recorder.timesAccepted([...first, ...second])).toEqual([...first, ...second].map(() => 1));
    });

    it('gives each consumer group every event', async () => {
      const fanout = new EventRecorder();
      const indexer = new EventRecorder();
      await subscribe('group-a', fanout);
      await subscribe('group-b', indexer);
      const events = interleavedLifecycles(4, 3);
      await publishUntilAccepted(bus.publisher, events);

      await fanout.waitForAll(events);
      await indexer.waitForAll(events);
      expect(fanout.timesAccepted(events)).toEqual(events.map(() => 1));
      expect(indexer.timesAccepted(events)).toEqual(events.map(() => 1));
    });

    it('gives a batch whose handler threw to the handler again, skipping nothing', async () => {
      const recorder = new EventRecorder();
      let refusals = 2;
      recorder.refuse = () => refusals-- > 0;
      await subscribe('throwing', recorder);
      const events = interleavedLifecycles(3, 3);
      await publishUntilAccepted(bus.publisher, events);

      await recorder.waitForAll(events);
      expect(recorder.refused).toHaveLength(2);
      const acceptedIds = new Set(recorder.events.map((event) => event.eventId));
      for (const event of recorder.refused.flat()) expect(acceptedIds.has(event.eventId)).toBe(true);
    });

    it('gives a batch whose handler crashed midway to the handler again: the rest is not skipped', async () => {
      // A handler with side effects per event (like the indexer) that dies after handling part of a batch.
      const handled: OrderLifecycleEvent[] = [];
      let unhandledAtCrash: OrderLifecycleEvent[] | undefined;
      const handler: EventBatchHandler = async (batch) => {
        const crashAt = unhandledAtCrash === undefined ? Math.ceil(batch.length / 2) : batch.length;
        for (const [index, event] of batch.entries()) {
          if (index === crashAt) {
            unhandledAtCrash = batch.slice(index);
            throw new Error('handler crashed midway through the batch (test)');
          }
          handled.push(event);
        }
      };
      subscriptions.push(await bus.subscriber.subscribe(group('crash-midway'), handler));
      const events = interleavedLifecycles(4, 3);
      await publishUntilAccepted(bus.publisher, events);

      const handledIds = (): Set<string> => new Set(handled.map((event) => event.eventId));
      const allHandled = (expected: readonly OrderLifecycleEvent[]): true | undefined =>
        expected.every((event) => handledIds().has(event.eventId)) ? true : undefined;
      await waitFor('every event handled', () => allHandled(events));
      expect(unhandledAtCrash?.length).toBeGreaterThan(0);
      // What the crash left unhandled (a new Kafka group may also replay earlier tests' events) comes again.
      await waitFor('the rest of the crashed batch handled', () => allHandled(unhandledAtCrash ?? []));
    });

    it('orders each order’s events by version within every batch', async () => {
      const recorder = new EventRecorder();
      await subscribe('ordering', recorder);
      // Many orders through all four topics, several publishes: arrival across topics is free to vary.
      const batches = [interleavedLifecycles(10, 5), interleavedLifecycles(10, 3), interleavedLifecycles(5, 5)];
      for (const batch of batches) await publishUntilAccepted(bus.publisher, batch);

      await recorder.waitForAll(batches.flat());
      for (const batch of recorder.accepted) {
        const lastVersion = new Map<string, number>();
        for (const event of batch) {
          expect(event.version).toBeGreaterThan(lastVersion.get(event.orderId) ?? 0);
          lastVersion.set(event.orderId, event.version);
        }
      }
    });
  });
}
