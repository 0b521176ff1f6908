import { randomBytes } from 'node:crypto';
import type { HealthResponse, Order, OrderLifecycleEvent, SearchOrdersResponse } from '@ordertrack/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, Session, type EventCollector } from '../support/api-client.js';
import { inParallel } from '../support/in-parallel.js';
import { TEST_ELASTICSEARCH_URL } from '../support/elasticsearch.js';
import { requireKafka, TEST_KAFKA_BROKERS } from '../support/kafka.js';
import { startInstancesOnFreshDatabase, type InstancesOnOneDatabase } from '../support/instances.js';
import { controlService } from '../support/services.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';
import { TEST_REDIS_URL } from '../support/redis.js';

const LIFECYCLE = ['ACCEPTED', 'PREPARED', 'SHIPPED', 'DELIVERED'] as const;
const ORDERS = 200;
const CUSTOMERS = 8;
const WORKERS = 10;

const versionsByOrder = (events: readonly OrderLifecycleEvent[]): Map<string, number[]> => {
  const byOrder = new Map<string, number[]>();
  for (const event of events) byOrder.set(event.orderId, [...(byOrder.get(event.orderId) ?? []), event.version]);
  return byOrder;
};

/**
 * The SDD pipeline on the real engines: PostgreSQL outbox → Kafka → fan-out consumer → Socket.IO through Redis,
 * and Kafka → Elasticsearch indexer → /search. Two app instances share every engine.
 */
describe('full stack: two instances (API + consumers, API + relay) on PostgreSQL, Kafka, Elasticsearch and Redis', () => {
  let instances: InstancesOnOneDatabase;
  let first: TestApp;
  let second: TestApp;
  let admin: Session;
  let adminSocket: EventCollector;

  beforeAll(async () => {
    await requireKafka();
    const run = randomBytes(4).toString('hex');
    const shared = {
      KAFKA_BROKERS: TEST_KAFKA_BROKERS.join(','),
      KAFKA_TOPIC_PREFIX: `full-${run}.`,
      KAFKA_GROUP_PREFIX: `full-${run}`,
      KAFKA_TOPIC_PARTITIONS: '3',
      ELASTICSEARCH_URL: TEST_ELASTICSEARCH_URL,
      ES_INDEX_PREFIX: `ordertrack-full-${run}`,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: `ordertrack-full-${run}`,
      RATE_LIMIT_PER_MINUTE: '100000',
    };
    // Roles split per process: the first serves the API and consumes, the second serves the API and relays.
    instances = await startInstancesOnFreshDatabase(shared, [
      { RELAY_ENABLED: 'false' },
      { CONSUMERS_ENABLED: 'false' },
    ]);
    [first, second] = instances.apps as [TestApp, TestApp];
    admin = await new ApiClient(second.baseUrl).login(ADMIN_EMAIL, ADMIN_PASSWORD);
    adminSocket = await new Session(new ApiClient(first.baseUrl, admin.auth.accessToken), admin.auth).connect();
  });

  afterAll(async () => {
    adminSocket.close();
    await instances.close();
  });

  it('runs every adapter for real on both instances', async () => {
    for (const app of [first, second]) {
      const health = await new ApiClient(app.baseUrl).get<HealthResponse>('/health');
      expect(health.status).toBe(200);
      expect(health.body.dependencies).toMatchObject({
        database: { status: 'up', adapter: 'postgres' },
        bus: { status: 'up', adapter: 'kafka' },
        search: { status: 'up', adapter: 'elasticsearch' },
        realtime: { status: 'up', adapter: 'redis-streams' },
      });
    }
  });

  it('exports the Kafka consumer lag of each group the consuming instance runs', async () => {
    const lagLine =
      /^ordertrack_kafka_consumer_lag\{group="(websocket-fanout|elasticsearch-indexer)",topic="[^"]+",partition="\d+"\} \d+$/m;
    const groups = await waitFor('lag samples for both consumer groups', async () => {
      const text = await (await fetch(`${first.baseUrl}/metrics`)).text();
      const found = new Set([...text.matchAll(new RegExp(lagLine, 'gm'))].map((match) => match[1]));
      return found.size === 2 ? found : undefined;
    });
    expect([...groups].sort()).toEqual(['elasticsearch-indexer', 'websocket-fanout']);
  });

  it('pushes a change made through one instance to a customer on the other, exactly once', async () => {
    const customer = await new ApiClient(first.baseUrl).register(
      'Cross',
      `cross-${randomBytes(3).toString('hex')}@example.com`,
    );
    const socket = await customer.connect();
    try {
      const order = await customer.placeOrder([{ productId: 'ESP-001', qty: 1 }]);
      await socket.waitForEvent(order.id, 1, 30_000);
      const started = performance.now();
      await admin.setStatus(order.id, 'ACCEPTED');
      await socket.waitForEvent(order.id, 2, 10_000);
      console.info(`cross-instance push through Kafka and Redis: ${(performance.now() - started).toFixed(1)} ms`);
      await admin.setStatus(order.id, 'PREPARED');
      await socket.waitForEvent(order.id, 3, 10_000);
      expect(socket.eventsOf(order.id).map((event) => event.version)).toEqual([1, 2, 3]);
    } finally {
      socket.close();
    }
  });

  it(
    `drives ${ORDERS} orders through their lifecycle concurrently: every client sees each order in version order, once`,
    { timeout: 300_000 },
    async () => {
      const apps = [first, second];
      const customers = await Promise.all(
        Array.from({ length: CUSTOMERS }, (_, i) =>
          new ApiClient((apps[i % 2] as TestApp).baseUrl).register(
            `Load ${i}`,
            `load-${i}-${randomBytes(3).toString('hex')}@example.com`,
          ),
        ),
      );
      const sockets = await Promise.all(customers.map((customer) => customer.connect()));
      try {
        const placed: Order[] = [];
        await inParallel(
          Array.from({ length: ORDERS }, (_, i) => i),
          WORKERS,
          async (i) => {
            placed.push(
              await (customers[i % CUSTOMERS] as Session).placeOrder([
                { productId: `LOAD-${i % 7}`, qty: 1 + (i % 5) },
              ]),
            );
          },
        );
        await inParallel(placed, WORKERS, async (order) => {
          for (const status of LIFECYCLE) await admin.setStatus(order.id, status);
        });

        const expected = [1, 2, 3, 4, 5];
        await waitFor(
          'every lifecycle event at the admin socket',
          () => (placed.every((order) => adminSocket.eventsOf(order.id).length >= 5) ? true : undefined),
          120_000,
        );
        const adminVersions = versionsByOrder(adminSocket.events);
        for (const order of placed) expect(adminVersions.get(order.id)).toEqual(expected);

        for (const [index, socket] of sockets.entries()) {
          const customer = customers[index] as Session;
          const own = placed.filter((order) => order.userId === customer.userId);
          await waitFor(
            `every event of customer ${index}'s orders`,
            () => (own.every((order) => socket.eventsOf(order.id).length >= 5) ? true : undefined),
            60_000,
          );
          expect(socket.events.every((event) => event.userId === customer.userId)).toBe(true);
          const versions = versionsByOrder(socket.events);
          for (const order of own) expect(versions.get(order.id)).toEqual(expected);
        }

        // Elasticsearch converges on exactly PostgreSQL's current state.
        await waitFor(
          'Elasticsearch to index every DELIVERED order',
          async () => {
            const counts = await Promise.all(
              customers.map(async (customer) => {
                const found = await admin.api.get<SearchOrdersResponse>(
                  `/search/orders?userId=${customer.userId}&status=DELIVERED&size=100`,
                );
                return found.body.total;
              }),
            );
            return counts.reduce((sum, count) => sum + count, 0) === ORDERS ? true : undefined;
          },
          60_000,
        );
        for (const customer of customers) {
          const indexed = await admin.api.get<SearchOrdersResponse>(
            `/search/orders?userId=${customer.userId}&size=100`,
          );
          for (const fromSearch of indexed.body.items) {
            const fromDatabase = await admin.api.get<Order>(`/orders/${fromSearch.id}`);
            expect(fromSearch).toEqual(fromDatabase.body);
          }
        }
      } finally {
        for (const socket of sockets) socket.close();
      }
    },
  );

  it(
    'keeps taking orders while Kafka is down and delivers every event once it is back',
    { timeout: 300_000 },
    async () => {
      const customer = await new ApiClient(first.baseUrl).register(
        'Outage',
        `outage-${randomBytes(3).toString('hex')}@example.com`,
      );
      const before = await customer.placeOrder([{ productId: 'PRE-1', qty: 1 }]);
      await adminSocket.waitForEvent(before.id, 1, 30_000);

      await controlService('kafka', 'stop');
      const during: Order[] = [];
      try {
        for (let i = 0; i < 10; i += 1) during.push(await customer.placeOrder([{ productId: `DOWN-${i}`, qty: 1 }]));
        await waitFor(
          'health to report the bus down',
          async () =>
            (await new ApiClient(first.baseUrl).get<HealthResponse>('/health')).status === 503 ? true : undefined,
          30_000,
        );
      } finally {
        await controlService('kafka', 'start');
      }
      for (const order of during) await adminSocket.waitForEvent(order.id, 1, 120_000);
      for (const order of [before, ...during])
        expect(adminSocket.eventsOf(order.id).map((event) => event.version)).toEqual([1]);
    },
  );

  // After the broker restart on purpose: consumers must keep working after it (they once stalled silently here).
  it(
    'keeps taking orders while Elasticsearch is down; the indexer catches up when it returns',
    { timeout: 300_000 },
    async () => {
      const customer = await new ApiClient(second.baseUrl).register(
        'Search Outage',
        `es-${randomBytes(3).toString('hex')}@example.com`,
      );
      await controlService('elasticsearch', 'stop');
      const placed: Order[] = [];
      try {
        for (let i = 0; i < 5; i += 1) placed.push(await customer.placeOrder([{ productId: `NOES-${i}`, qty: 1 }]));
        const search = await admin.api.get(`/search/orders?userId=${customer.userId}`);
        expect(search.status).toBe(503);
        const health = await new ApiClient(second.baseUrl).get<HealthResponse>('/health');
        expect(health.status).toBe(503);
        expect(health.body.dependencies['search']?.status).toBe('down');
      } finally {
        await controlService('elasticsearch', 'start');
      }
      for (const order of placed) await adminSocket.waitForEvent(order.id, 1, 60_000);
      await waitFor(
        'the indexer to catch up',
        async () => {
          const found = await admin.api.get<SearchOrdersResponse>(`/search/orders?userId=${customer.userId}`);
          return found.status === 200 && found.body.total === placed.length ? true : undefined;
        },
        120_000,
      );
    },
  );
});
