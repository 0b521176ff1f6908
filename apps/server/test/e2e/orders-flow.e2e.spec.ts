import type {
  HealthResponse,
  Order,
  OrderHistoryResponse,
  OrderPage,
  OrderStats,
  SearchOrdersResponse,
} from '@ordertrack/shared';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENAPI_FILE, serializeApiDocument } from '../../src/http/openapi-file.js';
import { ApiClient, type EventCollector, type Session } from '../support/api-client.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, DATABASE_MODES, startTestApp, type TestApp } from '../support/test-app.js';

describe.each(DATABASE_MODES)('order lifecycle over HTTP and Socket.IO on %s', (mode) => {
  let server: TestApp;
  let anonymous: ApiClient;
  let admin: Session;
  let alice: Session;
  let adminSocket: EventCollector;
  let aliceSocket: EventCollector;

  beforeAll(async () => {
    server = await startTestApp(mode);
    anonymous = new ApiClient(server.baseUrl);
    admin = await anonymous.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    alice = await anonymous.register('Alice', 'alice@example.com');
    adminSocket = await admin.connect();
    aliceSocket = await alice.connect();
  });

  afterAll(async () => {
    adminSocket.close();
    aliceSocket.close();
    await server.close();
  });

  it('reports every dependency ready, naming its adapter', async () => {
    const health = await anonymous.get<HealthResponse>('/health');
    expect(health.status).toBe(200);
    expect(health.body.ready).toBe(true);
    expect(health.body.dependencies['database']).toEqual({
      status: 'up',
      adapter: mode === 'pglite' ? 'pglite' : 'postgres',
    });
  });

  it('registers customers and logs in the bootstrap admin', async () => {
    expect(alice.auth.user).toEqual({
      id: expect.any(String),
      name: 'Alice',
      email: 'alice@example.com',
      role: 'CUSTOMER',
    });
    expect(admin.auth.user.role).toBe('ADMIN');
    const again = await anonymous.login('ALICE@example.com', 'password-123');
    expect(again.userId).toBe(alice.userId);
  });

  it('places an order, pushes it, walks it to DELIVERED and keeps its whole history', async () => {
    const order = await alice.placeOrder([{ productId: 'ESP-001', qty: 2 }]);
    expect(order).toMatchObject({
      userId: alice.userId,
      status: 'CREATED',
      items: [{ productId: 'ESP-001', qty: 2 }],
      version: 1,
    });
    expect(order.createdAt).toBe(order.updatedAt);

    const created = await aliceSocket.waitForEvent(order.id, 1);
    expect(created).toMatchObject({ orderId: order.id, userId: alice.userId, status: 'CREATED', type: 'created' });
    await adminSocket.waitForEvent(order.id, 1);

    const steps = ['ACCEPTED', 'PREPARED', 'SHIPPED', 'DELIVERED'] as const;
    for (const [index, status] of steps.entries()) {
      const updated = await admin.setStatus(order.id, status);
      expect(updated).toMatchObject({ status, version: index + 2 });
      const pushed = await aliceSocket.waitForEvent(order.id, index + 2);
      expect(pushed.status).toBe(status);
    }
    expect(aliceSocket.eventsOf(order.id).map((event) => event.type)).toEqual([
      'created',
      'updated',
      'updated',
      'updated',
      'completed',
    ]);

    const fetched = await alice.api.get<Order>(`/orders/${order.id}`);
    expect(fetched.status).toBe(200);
    expect(fetched.body).toMatchObject({ status: 'DELIVERED', version: 5 });
    expect(fetched.headers.get('etag')).toBe('"5"');

    const history = await alice.api.get<OrderHistoryResponse>(`/search/orders/${order.id}/history`);
    expect(history.status).toBe(200);
    expect(history.body.items.map((event) => [event.version, event.status, event.type])).toEqual([
      [1, 'CREATED', 'created'],
      [2, 'ACCEPTED', 'updated'],
      [3, 'PREPARED', 'updated'],
      [4, 'SHIPPED', 'updated'],
      [5, 'DELIVERED', 'completed'],
    ]);
    expect(history.body.items).toEqual(aliceSocket.eventsOf(order.id));
  });

  it('refuses disallowed transitions with 409, stale versions with 412, unknown statuses with 400', async () => {
    const order = await alice.placeOrder();
    const skip = await admin.api.patch(`/orders/${order.id}/status`, { status: 'SHIPPED' });
    expect(skip.status).toBe(409);
    expect(skip.body).toMatchObject({
      statusCode: 409,
      error: 'Conflict',
      message: expect.stringMatching(/CREATED.*SHIPPED/),
    });

    const stale = await admin.api.patch(`/orders/${order.id}/status`, { status: 'ACCEPTED' }, { 'If-Match': '"7"' });
    expect(stale.status).toBe(412);
    const current = await admin.api.patch<Order>(
      `/orders/${order.id}/status`,
      { status: 'ACCEPTED' },
      { 'If-Match': '"1"' },
    );
    expect(current.status).toBe(200);
    expect(current.body.version).toBe(2);

    const unknown = await admin.api.patch(`/orders/${order.id}/status`, { status: 'LOST' });
    expect(unknown.status).toBe(400);
    const canceled = await admin.setStatus(order.id, 'CANCELED');
    expect(canceled.status).toBe('CANCELED');
    const afterCancel = await admin.api.patch(`/orders/${order.id}/status`, { status: 'PREPARED' });
    expect(afterCancel.status).toBe(409);
    await aliceSocket.waitForEvent(order.id, 3);
    expect(aliceSocket.eventsOf(order.id).map((event) => event.status)).toEqual(['CREATED', 'ACCEPTED', 'CANCELED']);
  });

  it('returns the first order again for a retried Idempotency-Key, and refuses the key with another body', async () => {
    const headers = { 'Idempotency-Key': 'checkout-42' };
    const first = await alice.api.post<Order>('/orders', { items: [{ productId: 'CUP-003', qty: 1 }] }, headers);
    const retry = await alice.api.post<Order>('/orders', { items: [{ productId: 'CUP-003', qty: 1 }] }, headers);
    expect(first.status).toBe(201);
    expect(retry.status).toBe(200);
    expect(retry.body.id).toBe(first.body.id);
    const reused = await alice.api.post('/orders', { items: [{ productId: 'CUP-003', qty: 9 }] }, headers);
    expect(reused.status).toBe(422);

    const bob = await anonymous.register('Bob', 'bob-idem@example.com');
    const bobsOwn = await bob.api.post<Order>('/orders', { items: [{ productId: 'CUP-003', qty: 1 }] }, headers);
    expect(bobsOwn.status).toBe(201);
    expect(bobsOwn.body.id).not.toBe(first.body.id);
  });

  it('pages through a customer’s orders newest first with a cursor', async () => {
    const carol = await anonymous.register('Carol', 'carol@example.com');
    const placed: Order[] = [];
    for (let i = 0; i < 5; i += 1) placed.push(await carol.placeOrder([{ productId: `P-${i}`, qty: i + 1 }]));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor === null ? '?limit=2' : `?limit=2&cursor=${cursor}`;
      const page = await carol.api.get<OrderPage>(`/orders/user/${carol.userId}${query}`);
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.body.items.map((order) => order.id));
      cursor = page.body.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(placed.map((order) => order.id).reverse());
    expect((await carol.api.get(`/orders/user/${carol.userId}?cursor=not-a-cursor`)).status).toBe(400);
    expect((await admin.api.get<OrderPage>(`/orders/user/${carol.userId}?limit=100`)).body.items).toHaveLength(5);
  });

  it('searches orders by id, user, status, time range and product text, and computes stats', async () => {
    const dave = await anonymous.register('Dave', 'dave@example.com');
    const grinder = await dave.placeOrder([
      { productId: 'GRN-002', qty: 1 },
      { productId: 'Special_Blend-9', qty: 3 },
    ]);
    const kettle = await dave.placeOrder([{ productId: 'KTL-005', qty: 1 }]);
    await admin.setStatus(kettle.id, 'ACCEPTED');

    const byUser = await admin.api.get<SearchOrdersResponse>(`/search/orders?userId=${dave.userId}`);
    expect(byUser.body.total).toBe(2);
    expect(byUser.body.items.map((order) => order.id)).toEqual([kettle.id, grinder.id]);

    const byStatus = await admin.api.get<SearchOrdersResponse>(
      `/search/orders?userId=${dave.userId}&status=ACCEPTED,SHIPPED`,
    );
    expect(byStatus.body.items.map((order) => order.id)).toEqual([kettle.id]);
    const repeated = await admin.api.get<SearchOrdersResponse>(
      `/search/orders?userId=${dave.userId}&status=CREATED&status=ACCEPTED`,
    );
    expect(repeated.body.total).toBe(2);

    const byText = await admin.api.get<SearchOrdersResponse>(`/search/orders?q=${encodeURIComponent('special_BLEND')}`);
    expect(byText.body.items.map((order) => order.id)).toEqual([grinder.id]);
    const bothTerms = await admin.api.get<SearchOrdersResponse>(`/search/orders?q=${encodeURIComponent('grn blend')}`);
    expect(bothTerms.body.items.map((order) => order.id)).toEqual([grinder.id]);
    const noMatch = await admin.api.get<SearchOrdersResponse>(`/search/orders?q=${encodeURIComponent('grn kettle')}`);
    expect(noMatch.body.total).toBe(0);

    const byId = await admin.api.get<SearchOrdersResponse>(`/search/orders?orderId=${grinder.id}`);
    expect(byId.body.items.map((order) => order.id)).toEqual([grinder.id]);

    const future = await admin.api.get<SearchOrdersResponse>(
      `/search/orders?from=${encodeURIComponent('2999-01-01T00:00:00Z')}`,
    );
    expect(future.body.total).toBe(0);
    const paged = await admin.api.get<SearchOrdersResponse>(`/search/orders?userId=${dave.userId}&size=1&page=2`);
    expect(paged.body).toMatchObject({ total: 2, items: [{ id: grinder.id }] });

    const stats = await admin.api.get<OrderStats>('/search/orders/stats');
    expect(stats.status).toBe(200);
    expect(Object.keys(stats.body.statusCounts).sort()).toEqual(
      ['ACCEPTED', 'CANCELED', 'CREATED', 'DELIVERED', 'PREPARED', 'SHIPPED'].sort(),
    );
    expect(stats.body.statusCounts.ACCEPTED).toBeGreaterThanOrEqual(1);
    const today = new Date().toISOString().slice(0, 10);
    expect(stats.body.dailyTrend.find((day) => day.date === today)?.count).toBeGreaterThanOrEqual(2);
    expect(stats.body.busiestPeriod?.eventCount).toBeGreaterThanOrEqual(3);
    const empty = await admin.api.get<OrderStats>(
      `/search/orders/stats?from=${encodeURIComponent('2999-01-01T00:00:00Z')}`,
    );
    expect(empty.body).toEqual({
      statusCounts: { CREATED: 0, ACCEPTED: 0, PREPARED: 0, SHIPPED: 0, DELIVERED: 0, CANCELED: 0 },
      dailyTrend: [],
      busiestPeriod: null,
    });
  });

  it('serves the OpenAPI document generated from the request schemas', async () => {
    const document = await anonymous.get<{
      paths: Record<string, unknown>;
      components: { schemas: Record<string, unknown> };
    }>('/docs-json');
    expect(document.status).toBe(200);
    expect(Object.keys(document.body.paths)).toEqual(
      expect.arrayContaining([
        '/auth/register',
        '/orders',
        '/orders/{id}',
        '/orders/user/{id}',
        '/orders/{id}/status',
        '/search/orders',
        '/search/orders/{id}/history',
        '/search/orders/stats',
        '/health',
      ]),
    );
    expect(document.body.components.schemas).toHaveProperty('CreateOrderRequest');
    const committed = await readFile(OPENAPI_FILE, 'utf8');
    expect(serializeApiDocument(document.body), 'apps/server/openapi.json is stale: run `npm run openapi`').toBe(
      committed,
    );
    expect((await fetch(`${server.baseUrl}/docs`)).status).toBe(200);
  });
});
