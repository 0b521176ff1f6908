import { randomBytes } from 'node:crypto';
import type { HealthResponse } from '@ordertrack/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, Session, type EventCollector } from '../support/api-client.js';
import { startInstancesOnFreshDatabase, type InstancesOnOneDatabase } from '../support/instances.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, type TestApp } from '../support/test-app.js';
import { TEST_REDIS_URL } from '../support/redis.js';

describe('two stateless instances on one PostgreSQL and one Redis', () => {
  let instances: InstancesOnOneDatabase;
  let first: TestApp;
  let second: TestApp;
  let admin: Session;
  let alice: Session;
  let bob: Session;
  let aliceOnFirst: EventCollector;
  let bobOnSecond: EventCollector;
  let adminOnFirst: EventCollector;

  beforeAll(async () => {
    const shared = { REDIS_URL: TEST_REDIS_URL, REDIS_KEY_PREFIX: `ordertrack-test-${randomBytes(4).toString('hex')}` };
    instances = await startInstancesOnFreshDatabase(shared, [{}, {}]);
    [first, second] = instances.apps as [TestApp, TestApp];
    admin = await new ApiClient(second.baseUrl).login(ADMIN_EMAIL, ADMIN_PASSWORD);
    alice = await new ApiClient(first.baseUrl).register('Alice', 'alice@example.com');
    bob = await new ApiClient(second.baseUrl).register('Bob', 'bob@example.com');
    aliceOnFirst = await alice.connect();
    bobOnSecond = await bob.connect();
    // Tokens are valid on every instance: the admin logged in through the second watches through the first.
    adminOnFirst = await new Session(new ApiClient(first.baseUrl, admin.auth.accessToken), admin.auth).connect();
  });

  afterAll(async () => {
    aliceOnFirst.close();
    bobOnSecond.close();
    adminOnFirst.close();
    await instances.close();
  });

  it('reports Redis fan-out ready on both instances', async () => {
    for (const app of [first, second]) {
      const health = await new ApiClient(app.baseUrl).get<HealthResponse>('/health');
      expect(health.body.dependencies['realtime']).toEqual({ status: 'up', adapter: 'redis-streams' });
    }
  });

  it('pushes a change made through one instance to a customer connected to the other, exactly once', async () => {
    const order = await alice.placeOrder([{ productId: 'ESP-001', qty: 1 }]);
    await aliceOnFirst.waitForEvent(order.id, 1);

    const started = performance.now();
    await admin.setStatus(order.id, 'ACCEPTED');
    await aliceOnFirst.waitForEvent(order.id, 2);
    const latencyMs = performance.now() - started;
    console.info(`cross-instance push latency: ${latencyMs.toFixed(1)} ms`);

    await admin.setStatus(order.id, 'PREPARED');
    await admin.setStatus(order.id, 'SHIPPED');
    await aliceOnFirst.waitForEvent(order.id, 4);
    await adminOnFirst.waitForEvent(order.id, 4);
    expect(aliceOnFirst.eventsOf(order.id).map((event) => event.version)).toEqual([1, 2, 3, 4]);
    expect(adminOnFirst.eventsOf(order.id).map((event) => event.version)).toEqual([1, 2, 3, 4]);
  });

  it('keeps each customer to their own orders across instances', async () => {
    const bobsOrder = await bob.placeOrder([{ productId: 'CUP-003', qty: 2 }]);
    await admin.setStatus(bobsOrder.id, 'ACCEPTED');
    await bobOnSecond.waitForEvent(bobsOrder.id, 2);
    await adminOnFirst.waitForEvent(bobsOrder.id, 2);
    expect(bobOnSecond.events.every((event) => event.userId === bob.userId)).toBe(true);
    expect(aliceOnFirst.events.every((event) => event.userId === alice.userId)).toBe(true);
    expect(bobOnSecond.eventsOf(bobsOrder.id).map((event) => event.version)).toEqual([1, 2]);
  });
});
