import { randomBytes } from 'node:crypto';
import type { HealthResponse } from '@ordertrack/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type EventCollector, type Session } from '../support/api-client.js';
import { startInstancesOnFreshDatabase, type InstancesOnOneDatabase } from '../support/instances.js';
import {
  expectEveryAcceptedChangeStored,
  expectPushedInVersionOrder,
  expectResumeCompletesHistory,
} from '../support/order-ledger.js';
import { FAULT_SUITE_LOAD, OrderLoad } from '../support/order-load.js';
import { PrivateRedis } from '../support/private-servers.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const health = (app: TestApp): Promise<{ status: number; body: HealthResponse }> =>
  new ApiClient(app.baseUrl).get<HealthResponse>('/health');

const realtimeIs = async (app: TestApp, state: 'up' | 'down'): Promise<true | undefined> => {
  const answer = await health(app);
  return answer.body.dependencies['realtime']?.status === state && answer.status === (state === 'up' ? 200 : 503)
    ? true
    : undefined;
};

/**
 * Redis carries socket fan-out between instances and the shared rate-limit counters. Two instances on a Redis of
 * the test's own: the first relays and pushes (in-process bus), the second serves the API only, so its clients
 * get every push through Redis.
 */
describe('Redis outage under load: two instances on a private Redis', () => {
  let redis: PrivateRedis;
  let instances: InstancesOnOneDatabase;
  let pusher: TestApp;
  let apiOnly: TestApp;
  let admin: Session;
  const customers: Session[] = [];
  const sockets: EventCollector[] = [];

  beforeAll(async () => {
    redis = await PrivateRedis.start();
    instances = await startInstancesOnFreshDatabase(
      {
        REDIS_URL: redis.url,
        REDIS_KEY_PREFIX: `ordertrack-redis-outage-${randomBytes(4).toString('hex')}`,
        RATE_LIMIT_PER_MINUTE: '100000',
      },
      [{}, { RELAY_ENABLED: 'false' }],
    );
    [pusher, apiOnly] = instances.apps as [TestApp, TestApp];
    admin = await new ApiClient(apiOnly.baseUrl).login(ADMIN_EMAIL, ADMIN_PASSWORD);
    // Customers alternate between the instances; each one's socket is on the instance it uses.
    for (let i = 0; i < 4; i += 1) {
      const app = i % 2 === 0 ? pusher : apiOnly;
      const customer = await new ApiClient(app.baseUrl).register(
        `Redis ${i}`,
        `redis-${i}-${randomBytes(3).toString('hex')}@example.com`,
      );
      customers.push(customer);
      sockets.push(await customer.connect());
    }
  });

  afterAll(async () => {
    try {
      for (const socket of sockets) socket.close();
      await instances?.close();
    } finally {
      // Last, and whatever happened above: the apps close while their Redis still runs, and it never outlives the suite.
      await redis?.close();
    }
  });

  const [onPusher, onApiOnly] = [0, 1];

  it('pushes across instances through Redis and reports it ready', async () => {
    for (const app of [pusher, apiOnly]) expect(await realtimeIs(app, 'up')).toBe(true);
    const order = await (customers[onApiOnly] as Session).placeOrder();
    await (sockets[onApiOnly] as EventCollector).waitForEvent(order.id, 1, 10_000);
  });

  it(
    'keeps accepting orders while Redis is down, pushes to the pushing instance’s clients, recovers by itself, loses nothing',
    { timeout: 90_000 },
    async () => {
      const load = OrderLoad.start(customers, admin, FAULT_SUITE_LOAD);
      try {
        await load.waitForRequests(40);

        await redis.stop();
        for (const app of [pusher, apiOnly])
          await waitFor('health to report Redis down', () => realtimeIs(app, 'down'));
        const createdBeforeOutage = load.created.length;
        await load.waitForAnswers(201, 10);
        // Orders go on being accepted on both instances (rate limits fall back to per-instance counters).
        expect(load.created.length).toBeGreaterThanOrEqual(createdBeforeOutage + 10);
        // The instance that handles the change still pushes to its own clients.
        const duringOutage = await (customers[onPusher] as Session).placeOrder();
        await (sockets[onPusher] as EventCollector).waitForEvent(duringOutage.id, 1, 10_000);

        await redis.resume();
        for (const app of [pusher, apiOnly])
          await waitFor('health to report Redis up', () => realtimeIs(app, 'up'), 30_000);
        // Cross-instance pushes work again without restarting anything. Health can turn up a moment before the
        // pushing instance's own Redis connection is back, and a push published meanwhile only reaches its own
        // clients (others catch up with orders.resume, checked below), so a fresh order is tried until one crosses.
        await waitFor(
          'an order placed after the outage to be pushed across instances',
          async () => {
            const afterOutage = await (customers[onApiOnly] as Session).placeOrder();
            const socket = sockets[onApiOnly] as EventCollector;
            return socket.waitForEvent(afterOutage.id, 1, 3000).then(
              () => true,
              () => undefined,
            );
          },
          30_000,
        );
        await load.waitForRequests(40);
      } finally {
        await load.stop();
      }

      console.info(`redis outage load: ${JSON.stringify(Object.fromEntries(load.answers))}`);
      expect(Object.fromEntries(load.unexpectedAnswers([]))).toEqual({});
      const stored = await expectEveryAcceptedChangeStored(instances.database.url, load);

      for (const [index, socket] of sockets.entries()) {
        const customer = customers[index] as Session;
        const own = new Map(
          [...stored].filter(([orderId]) => load.created.some((o) => o.id === orderId && o.userId === customer.userId)),
        );
        expect(socket.events.every((event) => event.userId === customer.userId)).toBe(true);
        expectPushedInVersionOrder(socket);
        if (index % 2 === onPusher) {
          // Clients of the pushing instance missed nothing, outage or not.
          await waitFor(
            `every push at customer ${index}`,
            () =>
              [...own].every(([orderId, history]) => socket.eventsOf(orderId).length === history.length)
                ? true
                : undefined,
            15_000,
          );
        }
        await expectResumeCompletesHistory(socket, own);
      }
    },
  );
});
