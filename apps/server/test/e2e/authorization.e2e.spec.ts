import { randomUUID } from 'node:crypto';
import { REGISTER_ACCEPTED_MESSAGE, type Order, type OrderPage, type ResumeResult } from '@ordertrack/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, EventCollector, type Session } from '../support/api-client.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, DATABASE_MODES, startTestApp, type TestApp } from '../support/test-app.js';

describe.each(DATABASE_MODES)('who may see and change what, on %s', (mode) => {
  let server: TestApp;
  let anonymous: ApiClient;
  let admin: Session;
  let alice: Session;
  let bob: Session;
  let aliceOrder: Order;

  beforeAll(async () => {
    server = await startTestApp(mode);
    anonymous = new ApiClient(server.baseUrl);
    admin = await anonymous.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    alice = await anonymous.register('Alice', 'alice@example.com');
    bob = await anonymous.register('Bob', 'bob@example.com');
    aliceOrder = await alice.placeOrder([{ productId: 'ESP-001', qty: 1 }]);
  });

  afterAll(() => server.close());

  it('answers every protected route with 401 without a valid token', async () => {
    const forged = anonymous.withToken(`${alice.auth.accessToken.slice(0, -4)}AAAA`);
    const unsigned = anonymous.withToken(
      [
        Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url'),
        Buffer.from(JSON.stringify({ sub: admin.userId, role: 'ADMIN', exp: 4102444800 })).toString('base64url'),
        '',
      ].join('.'),
    );
    for (const client of [anonymous, forged, unsigned]) {
      for (const [method, path] of [
        ['POST', '/orders'],
        ['GET', `/orders/${aliceOrder.id}`],
        ['GET', `/orders/user/${alice.userId}`],
        ['PATCH', `/orders/${aliceOrder.id}/status`],
        ['GET', '/search/orders'],
        ['GET', `/search/orders/${aliceOrder.id}/history`],
        ['GET', '/search/orders/stats'],
      ] as const) {
        const response = await client.request(method, path, method === 'GET' ? undefined : { status: 'ACCEPTED' });
        expect({ method, path, status: response.status }).toEqual({ method, path, status: 401 });
        expect(response.body).toMatchObject({ statusCode: 401, error: 'Unauthorized' });
      }
    }
  });

  it("hides another customer's order as if it did not exist", async () => {
    const asBob = await bob.api.get(`/orders/${aliceOrder.id}`);
    const missing = await bob.api.get(`/orders/${randomUUID()}`);
    expect(asBob.status).toBe(404);
    expect(missing.status).toBe(404);
    expect((await bob.api.get(`/search/orders/${aliceOrder.id}/history`)).status).toBe(404);
    expect((await admin.api.get(`/orders/${aliceOrder.id}`)).status).toBe(200);
    expect((await admin.api.get(`/search/orders/${aliceOrder.id}/history`)).status).toBe(200);
  });

  it("forbids listing another customer's orders", async () => {
    expect((await bob.api.get(`/orders/user/${alice.userId}`)).status).toBe(403);
    const own = await alice.api.get<OrderPage>(`/orders/user/${alice.userId}`);
    expect(own.body.items.map((order) => order.id)).toEqual([aliceOrder.id]);
    expect((await admin.api.get<OrderPage>(`/orders/user/${alice.userId}`)).body.items).toHaveLength(1);
  });

  it('keeps status changes, search and stats for admins, and order placement for customers', async () => {
    expect((await alice.api.patch(`/orders/${aliceOrder.id}/status`, { status: 'ACCEPTED' })).status).toBe(403);
    expect((await alice.api.get('/search/orders')).status).toBe(403);
    expect((await alice.api.get('/search/orders/stats')).status).toBe(403);
    expect((await admin.api.post('/orders', { items: [{ productId: 'ESP-001', qty: 1 }] })).status).toBe(403);
    expect((await admin.api.get('/search/orders')).status).toBe(200);
  });

  it('offers no way to become admin over HTTP', async () => {
    const sneaky = await anonymous.post('/auth/register', {
      name: 'Eve',
      email: 'eve@example.com',
      password: 'password-123',
      role: 'ADMIN',
    });
    expect(sneaky.status).toBe(400);
    const eve = await anonymous.register('Eve', 'eve@example.com');
    expect(eve.auth.user.role).toBe('CUSTOMER');
  });

  it('does not tell a wrong password from an unknown account', async () => {
    const wrongPassword = await anonymous.post('/auth/login', {
      email: 'alice@example.com',
      password: 'not-her-password',
    });
    const unknown = await anonymous.post('/auth/login', { email: 'nobody@example.com', password: 'not-her-password' });
    expect(wrongPassword.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(unknown.body).toEqual(wrongPassword.body);
  });

  it('does not tell a taken email from a new one at sign-up, and leaves the existing account alone', async () => {
    const taken = await anonymous.post('/auth/register', {
      name: 'A2',
      email: 'ALICE@example.com',
      password: 'takeover-password',
    });
    const fresh = await anonymous.post('/auth/register', {
      name: 'Newcomer',
      email: `newcomer-${randomUUID()}@example.com`,
      password: 'password-123',
    });
    expect(taken.status).toBe(202);
    expect(fresh.status).toBe(202);
    expect(taken.body).toEqual(fresh.body);
    expect(taken.body).toEqual({ message: REGISTER_ACCEPTED_MESSAGE });
    expect(
      (await anonymous.post('/auth/login', { email: 'alice@example.com', password: 'takeover-password' })).status,
    ).toBe(401);
    expect((await anonymous.login('alice@example.com', 'password-123')).userId).toBe(alice.userId);
  });

  it('refuses socket connections without a valid token', async () => {
    await expect(EventCollector.connect(server.baseUrl, undefined)).rejects.toThrow(/unauthorized/);
    await expect(EventCollector.connect(server.baseUrl, 'not-a-jwt')).rejects.toThrow(/unauthorized/);
  });

  it("pushes a customer only their own orders' events, and admins all of them", async () => {
    const aliceSocket = await alice.connect();
    const bobSocket = await bob.connect();
    const adminSocket = await admin.connect();
    try {
      const aliceNext = await alice.placeOrder([{ productId: 'CUP-003', qty: 1 }]);
      await admin.setStatus(aliceNext.id, 'ACCEPTED');
      const bobsOwn = await bob.placeOrder([{ productId: 'KTL-005', qty: 1 }]);
      // Pushes leave in outbox order on every connection, so once Bob has his own later event,
      // any leaked event of Alice's would already have arrived.
      await bobSocket.waitForEvent(bobsOwn.id, 1);
      await aliceSocket.waitForEvent(aliceNext.id, 2);
      await adminSocket.waitForEvent(bobsOwn.id, 1);
      expect(bobSocket.events.every((event) => event.userId === bob.userId)).toBe(true);
      expect(aliceSocket.events.every((event) => event.userId === alice.userId)).toBe(true);
      expect(adminSocket.eventsOf(aliceNext.id)).toHaveLength(2);
    } finally {
      aliceSocket.close();
      bobSocket.close();
      adminSocket.close();
    }
  });

  it("replays missed events on resume, never another customer's", async () => {
    const order = await alice.placeOrder([{ productId: 'SCL-006', qty: 1 }]);
    await admin.setStatus(order.id, 'ACCEPTED');
    await admin.setStatus(order.id, 'PREPARED');
    const bobSocket = await bob.connect();
    const aliceSocket = await alice.connect();
    const adminSocket = await admin.connect();
    try {
      const request = { orders: [{ orderId: order.id, lastVersion: 1 }] };
      const forAlice: ResumeResult = await aliceSocket.socket.emitWithAck('orders.resume', request);
      const forBob: ResumeResult = await bobSocket.socket.emitWithAck('orders.resume', request);
      const forAdmin: ResumeResult = await adminSocket.socket.emitWithAck('orders.resume', request);
      expect(forAlice.ok && forAlice.events.map((event) => event.version)).toEqual([2, 3]);
      expect(forBob).toEqual({ ok: true, events: [] });
      expect(forAdmin.ok && forAdmin.events.map((event) => event.status)).toEqual(['ACCEPTED', 'PREPARED']);
      const invalid: ResumeResult = await aliceSocket.socket.emitWithAck('orders.resume', {
        orders: [{ orderId: 'nope', lastVersion: -1 }],
      });
      expect(invalid.ok).toBe(false);
    } finally {
      bobSocket.close();
      aliceSocket.close();
      adminSocket.close();
    }
  });
});
