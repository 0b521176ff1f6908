import { randomBytes } from 'node:crypto';
import type { HealthResponse } from '@ordertrack/shared';
import { io } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type EventCollector, type Session } from '../support/api-client.js';
import { startInstancesOnFreshDatabase, type InstancesOnOneDatabase } from '../support/instances.js';
import { deleteTopics, isolatedKafkaConfig, requireKafka, TEST_KAFKA_BROKERS } from '../support/kafka.js';
import { TEST_REDIS_URL } from '../support/redis.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type TestApp } from '../support/test-app.js';

/** Whether a socket handshake with this token succeeds against the instance. */
function handshakeAccepted(baseUrl: string, token: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = io(`${baseUrl}/orders`, { auth: { token }, transports: ['websocket'], reconnection: false });
    socket.once('connect', () => {
      socket.close();
      resolve(true);
    });
    socket.once('connect_error', () => {
      socket.close();
      resolve(false);
    });
  });
}

// Each role in a process of its own: the only path from an admin's change to the customer's socket goes through the
// relay process, Kafka, the consumers process and Redis back to the API process.
describe('roles split over three processes: API, relay, consumers (needs Kafka and Redis)', () => {
  const kafka = isolatedKafkaConfig();
  let instances: InstancesOnOneDatabase;
  let api: TestApp;
  let workers: TestApp[];
  let admin: Session;
  let customer: Session;
  let socket: EventCollector;

  beforeAll(async () => {
    await requireKafka();
    instances = await startInstancesOnFreshDatabase(
      {
        KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','),
        KAFKA_TOPIC_PREFIX: kafka.topicPrefix,
        KAFKA_GROUP_PREFIX: kafka.groupPrefix,
        KAFKA_TOPIC_PARTITIONS: String(kafka.partitions),
        REDIS_URL: TEST_REDIS_URL,
        REDIS_KEY_PREFIX: `ordertrack-roles-${randomBytes(4).toString('hex')}`,
      },
      [
        { RELAY_ENABLED: 'false', CONSUMERS_ENABLED: 'false' },
        { API_ENABLED: 'false', CONSUMERS_ENABLED: 'false' },
        { API_ENABLED: 'false', RELAY_ENABLED: 'false' },
      ],
    );
    [api, ...workers] = instances.apps as [TestApp, TestApp, TestApp];
    const anonymous = new ApiClient(api.baseUrl);
    admin = await anonymous.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    customer = await anonymous.register('Roles', `roles-${kafka.groupPrefix}@example.com`);
    socket = await customer.connect();
  });

  afterAll(async () => {
    socket?.close();
    await instances?.close();
    await deleteTopics(kafka);
  });

  it('pushes an order’s changes to the customer although the API process neither relays nor consumes', async () => {
    const order = await customer.placeOrder([{ productId: 'ESP-001', qty: 1 }]);
    await socket.waitForEvent(order.id, 1, 30_000);
    await admin.setStatus(order.id, 'ACCEPTED');
    await socket.waitForEvent(order.id, 2, 15_000);
    expect(socket.eventsOf(order.id).map((event) => event.version)).toEqual([1, 2]);
  });

  it('serves no client API, web app or sockets on the workers, only health and metrics', async () => {
    for (const worker of workers) {
      const client = new ApiClient(worker.baseUrl);
      expect((await client.post('/auth/login', { email: ADMIN_EMAIL, password: ADMIN_PASSWORD })).status).toBe(404);
      expect((await client.get(`/orders/user/${customer.userId}`)).status).toBe(404);
      expect((await client.get('/')).status).toBe(404);
      expect(await handshakeAccepted(worker.baseUrl, admin.auth.accessToken)).toBe(false);
      expect((await client.get<HealthResponse>('/health')).status).toBe(200);
      expect((await fetch(`${worker.baseUrl}/metrics`)).status).toBe(200);
    }
    expect(await handshakeAccepted(api.baseUrl, admin.auth.accessToken)).toBe(true);
  });
});
