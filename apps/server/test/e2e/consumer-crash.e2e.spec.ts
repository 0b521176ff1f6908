import type { Order } from '@ordertrack/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type Session } from '../support/api-client.js';
import { AppProcess } from '../support/app-process.js';
import {
  countHistoryDocuments,
  openTestIndices,
  readIndexedOrders,
  TEST_ELASTICSEARCH_URL,
  type TestIndices,
} from '../support/elasticsearch.js';
import { inParallel } from '../support/in-parallel.js';
import { startInstancesOnFreshDatabase, type InstancesOnOneDatabase } from '../support/instances.js';
import { deleteTopics, isolatedKafkaConfig, requireKafka, TEST_KAFKA_BROKERS } from '../support/kafka.js';
import { readStoredEvents } from '../support/order-ledger.js';
import { TEST_PERSONAL_DATA_ENV } from '../support/personal-data.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TEST_JWT_SECRET, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const LIFECYCLE = ['ACCEPTED', 'PREPARED', 'SHIPPED', 'DELIVERED'] as const;
const ORDERS_BEFORE_CRASH = 60;
const ORDERS_WHILE_DOWN = 20;
/** The crash comes once this many history documents are indexed: the indexer is part-way through the stream. */
const INDEXED_BEFORE_CRASH = 15;

/**
 * A consumers process (fan-out + Elasticsearch indexer, no relay) killed with SIGKILL while events stream in,
 * then replaced: Kafka redelivers whatever it had not committed, and the indices end equal to PostgreSQL.
 */
describe('consumer crash mid-stream: a new consumers process leaves Elasticsearch equal to PostgreSQL', () => {
  const kafka = isolatedKafkaConfig();
  let instances: InstancesOnOneDatabase;
  let indices: TestIndices;
  let consumerEnv: Record<string, string>;
  const consumers: AppProcess[] = [];
  let admin: Session;
  let customers: Session[];

  beforeAll(async () => {
    await requireKafka();
    indices = await openTestIndices();
    const shared = {
      KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','),
      KAFKA_TOPIC_PREFIX: kafka.topicPrefix,
      KAFKA_GROUP_PREFIX: kafka.groupPrefix,
      KAFKA_TOPIC_PARTITIONS: String(kafka.partitions),
      RATE_LIMIT_PER_MINUTE: '100000',
    };
    // The API and the relay in this process; the consumers run in a child process that can be killed.
    instances = await startInstancesOnFreshDatabase(shared, [{ CONSUMERS_ENABLED: 'false' }]);
    consumerEnv = {
      ...shared,
      DATABASE_URL: instances.database.url,
      JWT_SECRET: TEST_JWT_SECRET,
      ...TEST_PERSONAL_DATA_ENV,
      RELAY_ENABLED: 'false',
      ELASTICSEARCH_URL: TEST_ELASTICSEARCH_URL,
      ES_INDEX_PREFIX: indices.prefix,
    };
    consumers.push(await AppProcess.start(consumerEnv));
    const [apiAndRelay] = instances.apps as [TestApp];
    const api = new ApiClient(apiAndRelay.baseUrl);
    admin = await api.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    customers = [
      await api.register('Crash A', `crash-a-${kafka.groupPrefix}@example.com`),
      await api.register('Crash B', `crash-b-${kafka.groupPrefix}@example.com`),
    ];
  });

  afterAll(async () => {
    try {
      await Promise.allSettled(consumers.map((consumer) => consumer.kill()));
      await instances?.close();
    } finally {
      // Last, and whatever happened above: the processes stop before the topics and indices they use are deleted.
      await deleteTopics(kafka).catch(() => undefined);
      await indices?.close();
    }
  });

  const placeAndDeliver = async (count: number, placed: Order[]): Promise<void> => {
    await inParallel(
      Array.from({ length: count }, (_, i) => i),
      6,
      async (i) => {
        const order = await (customers[i % customers.length] as Session).placeOrder([
          { productId: `CRASH-${i % 4}`, qty: 1 + (i % 3) },
        ]);
        placed.push(order);
        for (const status of LIFECYCLE) await admin.setStatus(order.id, status);
      },
    );
  };

  it('skips no event and keeps no duplicate after a kill -9 mid-stream', { timeout: 90_000 }, async () => {
    const placed: Order[] = [];
    const streaming = placeAndDeliver(ORDERS_BEFORE_CRASH, placed);
    const indexedAtCrash = await waitFor(
      'the indexer to be part-way through the stream',
      async () => {
        const count = await countHistoryDocuments(indices);
        return count >= INDEXED_BEFORE_CRASH ? count : undefined;
      },
      30_000,
    );
    await consumers[0]?.kill();
    const acknowledgedAtCrash = placed.length;
    await streaming;
    // Events keep coming while no consumer runs: they wait in Kafka.
    await placeAndDeliver(ORDERS_WHILE_DOWN, placed);
    console.info(
      `consumers killed with ${indexedAtCrash} history documents indexed, ${acknowledgedAtCrash} orders placed; ` +
        `${placed.length * 5} events in all`,
    );

    consumers.push(await AppProcess.start(consumerEnv));

    const orderIds = placed.map((order) => order.id);
    const stored = await readStoredEvents(instances.database.url, orderIds);
    expect([...stored.values()].every((history) => history.length === 5)).toBe(true);
    await waitFor(
      'Elasticsearch to hold every stored event',
      async () => {
        const indexed = await readIndexedOrders(indices, orderIds);
        return [...indexed.values()].every(
          (entry) => entry.historyEventIds.length >= 5 && entry.current?.status === 'DELIVERED',
        )
          ? true
          : undefined;
      },
      60_000,
    );
    const indexed = await readIndexedOrders(indices, orderIds);
    for (const [orderId, history] of stored) {
      const entry = indexed.get(orderId);
      // Full history, each event exactly once (redelivered events are written under their own id again).
      expect(entry?.historyEventIds.toSorted(), `history of ${orderId}`).toEqual(
        history.map((event) => event.eventId).toSorted(),
      );
      const latest = history.at(-1);
      expect(entry?.current, `current state of ${orderId}`).toMatchObject({
        id: orderId,
        status: latest?.status,
        version: latest?.version,
      });
    }
  });
});
