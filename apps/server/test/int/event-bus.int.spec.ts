import type { OrderLifecycleEvent } from '@ordertrack/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InProcessEventBus } from '../../src/adapters/bus/in-process-event-bus.js';
import { KafkaEventBus } from '../../src/adapters/bus/kafka/kafka-event-bus.js';
import { DrizzleOrderStore } from '../../src/adapters/db/drizzle-order-store.js';
import { DrizzleOutboxStore } from '../../src/adapters/db/drizzle-outbox-store.js';
import { SystemClock } from '../../src/adapters/system-clock.js';
import { EventPublisher, type Subscription } from '../../src/application/ports/event-bus.port.js';
import { loadConfig } from '../../src/config/app-config.js';
import { OrderWriteGate } from '../../src/application/orders/order-write-gate.js';
import { OutboxRelay } from '../../src/outbox/outbox-relay.js';
import { CommittedEntries } from '../../src/outbox/committed-entries.js';
import { eventBusContract, publishUntilAccepted } from '../contracts/event-bus.contract.js';
import { openTestDatabase } from '../support/databases.js';
import { EventRecorder } from '../support/event-recorder.js';
import { changeStatus, insertUser, placeOrder } from '../support/fixtures.js';
import { deleteTopics, isolatedKafkaConfig, produceRaw, readTopic, requireKafka } from '../support/kafka.js';
import { orderLifecycle } from '../support/lifecycle-events.js';
import { controlService } from '../support/services.js';
import { waitFor } from '../support/wait-for.js';

// One file for every Kafka suite: the outage test stops the shared broker, so nothing else may use it meanwhile.

eventBusContract('in-process bus', () => {
  const bus = new InProcessEventBus();
  return Promise.resolve({ publisher: bus, subscriber: bus, close: () => Promise.resolve() });
});

eventBusContract('Kafka bus (needs the broker: node services/services.mjs start kafka)', async () => {
  await requireKafka();
  const config = isolatedKafkaConfig();
  const bus = new KafkaEventBus(config);
  return {
    publisher: bus.publisher,
    subscriber: bus.subscriber,
    async close() {
      await bus.close();
      await deleteTopics(config);
    },
  };
});

describe('Kafka bus failure handling (needs the broker: node services/services.mjs start kafka)', () => {
  const config = isolatedKafkaConfig();
  let bus: KafkaEventBus;
  const subscriptions: Subscription[] = [];

  beforeAll(async () => {
    await requireKafka();
    bus = new KafkaEventBus(config);
    await bus.topics.ensure();
  });

  afterAll(async () => {
    await controlService('kafka', 'start');
    await Promise.all(subscriptions.map((subscription) => subscription.close()));
    await bus.close();
    await deleteTopics(config);
  });

  it('parks undecodable records with the reason, commits past them and keeps delivering', async () => {
    const names = bus.topics.names;
    const recorder = new EventRecorder();
    const first = await bus.subscriber.subscribe('parking', recorder.handler);
    const [created, accepted] = orderLifecycle(2);
    if (created === undefined || accepted === undefined) throw new Error('fixture');
    // Same key as the valid events, so the bad records sit on the same partitions, in front of them.
    await produceRaw([
      { topic: names.forType('created'), key: created.orderId, value: '{"orderId": "trunc' },
      { topic: names.forType('updated'), key: created.orderId, value: JSON.stringify({ ...accepted, version: 0 }) },
    ]);
    await publishUntilAccepted(bus.publisher, [created, accepted]);
    await recorder.waitForAll([created, accepted]);

    const parked = await readTopic(names.parking, 2);
    expect(parked).toHaveLength(2);
    const byTopic = new Map(parked.map((record) => [record.headers['parked.topic'], record]));
    expect(byTopic.get(names.forType('created'))).toMatchObject({
      key: created.orderId,
      value: '{"orderId": "trunc',
      headers: { 'parked.error': expect.stringMatching(/^not JSON/), 'parked.group': `${config.groupPrefix}.parking` },
    });
    expect(byTopic.get(names.forType('updated'))?.headers['parked.error']).toMatch(/not an OrderLifecycleEvent/);

    // The group committed past the bad records: a new member starts after them and parks nothing again.
    await first.close();
    const again = new EventRecorder();
    subscriptions.push(await bus.subscriber.subscribe('parking', again.handler));
    const later = orderLifecycle(1);
    await publishUntilAccepted(bus.publisher, later);
    await again.waitForAll(later);
    expect(again.timesAccepted([created, accepted])).toEqual([0, 0]);
    expect(await readTopic(names.parking, 2)).toHaveLength(2);
  });

  // Stopping and starting the broker alone takes 10-30 s here.
  it(
    'keeps a broker outage as an outbox backlog and delivers it once the broker is back',
    { timeout: 180_000 },
    async () => {
      const database = await openTestDatabase('pglite');
      const store = new DrizzleOrderStore(database.handle.db);
      const outbox = new DrizzleOutboxStore(database.handle);
      const publisher = new CountingPublisher(bus.publisher);
      const relay = new OutboxRelay(
        outbox,
        publisher,
        new SystemClock(),
        loadConfig({ OUTBOX_POLL_INTERVAL_MS: '100' }),
        new OrderWriteGate(),
        new CommittedEntries(),
      );
      const recorder = new EventRecorder();
      subscriptions.push(await bus.subscriber.subscribe('outage', recorder.handler));
      await relay.onApplicationBootstrap();
      try {
        const userId = await insertUser(database.handle);
        const before = await placeOrder(store, userId, [{ productId: 'ESP-001', qty: 1 }], new Date());
        await waitFor('the first order delivered', () => recorder.events.find((event) => event.orderId === before));

        await controlService('kafka', 'stop');
        let during = '';
        try {
          await expect(bus.publisher.publish(orderLifecycle(1))).rejects.toThrow();
          await expect(bus.probe.check()).rejects.toThrow();
          const rejectedSoFar = publisher.rejections;
          during = await placeOrder(store, userId, [{ productId: 'GRN-002', qty: 2 }], new Date());
          await changeStatus(store, during, 'ACCEPTED', new Date());
          await changeStatus(store, during, 'CANCELED', new Date());
          await waitFor('the relay to fail on the new events', () =>
            publisher.rejections > rejectedSoFar ? true : undefined,
          );
          expect(await outbox.countUnpublished()).toBe(3);
        } finally {
          await controlService('kafka', 'start');
        }

        await waitFor(
          'the backlog published',
          async () => ((await outbox.countUnpublished()) === 0 ? true : undefined),
          60_000,
        );
        await waitFor(
          'the backlog delivered',
          () => (recorder.events.filter((event) => event.orderId === during).length >= 3 ? true : undefined),
          60_000,
        );
        // Exactly once in effect: after deduplication by eventId, each version once, none missing.
        const versions = new Map(
          recorder.events.filter((event) => event.orderId === during).map((event) => [event.eventId, event.version]),
        );
        expect([...versions.values()].sort()).toEqual([1, 2, 3]);
        await bus.probe.check();
      } finally {
        await relay.onModuleDestroy();
        await database.close();
      }
    },
  );
});

/** Passes batches through to the real publisher, counting the ones it rejected. */
class CountingPublisher extends EventPublisher {
  rejections = 0;

  constructor(private readonly inner: EventPublisher) {
    super();
  }

  async publish(events: readonly OrderLifecycleEvent[]): Promise<void> {
    try {
      await this.inner.publish(events);
    } catch (error) {
      this.rejections += 1;
      throw error;
    }
  }
}
