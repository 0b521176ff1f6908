import type { ErrorResponse, HealthResponse } from '@ordertrack/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, EventCollector, type Session } from '../support/api-client.js';
import { startInstancesOnFreshDatabase, type InstancesOnOneDatabase } from '../support/instances.js';
import { deleteTopics, isolatedKafkaConfig, requireKafka, TEST_KAFKA_BROKERS } from '../support/kafka.js';
import {
  expectEveryAcceptedChangeStored,
  expectPushedInVersionOrder,
  expectResumeCompletesHistory,
} from '../support/order-ledger.js';
import { FAULT_SUITE_LOAD, OrderLoad } from '../support/order-load.js';
import { PrivatePostgres } from '../support/private-servers.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const databaseIs = async (app: TestApp, state: 'up' | 'down'): Promise<true | undefined> => {
  const answer = await new ApiClient(app.baseUrl).get<HealthResponse>('/health');
  return answer.body.dependencies['database']?.status === state && answer.status === (state === 'up' ? 200 : 503)
    ? true
    : undefined;
};

/**
 * PostgreSQL restarted under load, on a cluster of the test's own: the first instance serves the API and relays,
 * the second serves the API and runs the Kafka consumers (its clients get every push).
 */
describe('PostgreSQL restart under load: two instances on a private cluster, Kafka bus', () => {
  const kafka = isolatedKafkaConfig();
  let server: PrivatePostgres;
  let instances: InstancesOnOneDatabase;
  let relaying: TestApp;
  let consuming: TestApp;
  let admin: Session;
  const customers: Session[] = [];
  const sockets: EventCollector[] = [];

  beforeAll(async () => {
    await requireKafka();
    server = await PrivatePostgres.start();
    instances = await startInstancesOnFreshDatabase(
      {
        KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','),
        KAFKA_TOPIC_PREFIX: kafka.topicPrefix,
        KAFKA_GROUP_PREFIX: kafka.groupPrefix,
        KAFKA_TOPIC_PARTITIONS: String(kafka.partitions),
        RATE_LIMIT_PER_MINUTE: '100000',
        // The longest allowed, longer than the outage and recovery: events after the restart go out because the relay's LISTEN session
        // came back by itself and was notified, not because a poll happened to come round.
        OUTBOX_POLL_INTERVAL_MS: '60000',
      },
      [{ CONSUMERS_ENABLED: 'false' }, { RELAY_ENABLED: 'false' }],
      server.url,
    );
    [relaying, consuming] = instances.apps as [TestApp, TestApp];
    admin = await new ApiClient(relaying.baseUrl).login(ADMIN_EMAIL, ADMIN_PASSWORD);
    for (let i = 0; i < 4; i += 1) {
      const app = i % 2 === 0 ? relaying : consuming;
      const customer = await new ApiClient(app.baseUrl).register(`PG ${i}`, `pg-${i}-${kafka.groupPrefix}@example.com`);
      customers.push(customer);
      // Pushes leave from the consuming instance; without Redis only its own clients get them.
      sockets.push(await EventCollector.connect(consuming.baseUrl, customer.auth.accessToken));
    }
  });

  afterAll(async () => {
    try {
      for (const socket of sockets) socket.close();
      await instances?.close();
    } finally {
      // Last, and whatever happened above: the apps close while their database server still runs, and it never outlives the suite.
      await server?.close();
      await deleteTopics(kafka).catch(() => undefined);
    }
  });

  it(
    'answers 503 while the database is down, recovers by itself, loses nothing and keeps per-order order',
    { timeout: 90_000 },
    async () => {
      const load = OrderLoad.start(customers, admin, FAULT_SUITE_LOAD);
      try {
        await load.waitForRequests(40);

        await server.stop();
        for (const app of [relaying, consuming]) {
          await waitFor('health to report the database down', () => databaseIs(app, 'down'), 15_000);
        }
        await load.waitForAnswers(503, 5);
        const refused = await (customers[0] as Session).api.post<ErrorResponse>('/orders', {
          items: [{ productId: 'DOWN-1', qty: 1 }],
        });
        expect(refused.status).toBe(503);
        expect(refused.body).toEqual({
          statusCode: 503,
          error: 'Service Unavailable',
          message: 'the database is temporarily unavailable, retry shortly',
        });
        expect(refused.headers.get('retry-after')).toBe('1');

        await server.resume();
        for (const app of [relaying, consuming]) {
          await waitFor('health to report the database up', () => databaseIs(app, 'up'), 30_000);
        }
        await load.waitForAnswers(201, 10);
        await load.waitForRequests(40);
      } finally {
        await load.stop();
      }

      console.info(`postgres restart load: ${JSON.stringify(Object.fromEntries(load.answers))}`);
      expect(Object.fromEntries(load.unexpectedAnswers([503]))).toEqual({});
      const stored = await expectEveryAcceptedChangeStored(instances.database.url, load, 30_000);

      for (const [index, socket] of sockets.entries()) {
        const customer = customers[index] as Session;
        const own = new Map(
          [...stored].filter(([orderId]) => load.created.some((o) => o.id === orderId && o.userId === customer.userId)),
        );
        // Every stored event reached the customer through Kafka, in version order, once.
        await waitFor(
          `every push at customer ${index}`,
          () =>
            [...own].every(([orderId, history]) => socket.eventsOf(orderId).length >= history.length)
              ? true
              : undefined,
          30_000,
        );
        expectPushedInVersionOrder(socket);
        await expectResumeCompletesHistory(socket, own);
      }
    },
  );
});
