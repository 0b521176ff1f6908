import type { ResumeResult } from '@ordertrack/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, EventCollector, type Session } from '../support/api-client.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/test-app.js';

type Caller = 'anonymous' | 'owner' | 'otherCustomer' | 'admin';
const CALLERS: Caller[] = ['anonymous', 'owner', 'otherCustomer', 'admin'];

interface Row {
  method: 'GET' | 'POST' | 'PATCH';
  path: (ids: { orderId: string; ownerId: string }) => string;
  body?: unknown;
  expected: Record<Caller, number>;
}

/** Every endpoint against every kind of caller (OWASP API1/API5): the status each must get. */
const MATRIX: Row[] = [
  {
    method: 'POST',
    path: () => '/orders',
    body: { items: [{ productId: 'M-1', qty: 1 }] },
    expected: { anonymous: 401, owner: 201, otherCustomer: 201, admin: 403 },
  },
  {
    method: 'GET',
    path: ({ orderId }) => `/orders/${orderId}`,
    expected: { anonymous: 401, owner: 200, otherCustomer: 404, admin: 200 },
  },
  {
    method: 'GET',
    path: ({ ownerId }) => `/orders/user/${ownerId}`,
    expected: { anonymous: 401, owner: 200, otherCustomer: 403, admin: 200 },
  },
  {
    method: 'PATCH',
    path: ({ orderId }) => `/orders/${orderId}/status`,
    body: { status: 'ACCEPTED' },
    expected: { anonymous: 401, owner: 403, otherCustomer: 403, admin: 200 },
  },
  {
    method: 'GET',
    path: () => '/search/orders',
    expected: { anonymous: 401, owner: 403, otherCustomer: 403, admin: 200 },
  },
  {
    method: 'GET',
    path: ({ orderId }) => `/search/orders/${orderId}/history`,
    expected: { anonymous: 401, owner: 200, otherCustomer: 404, admin: 200 },
  },
  {
    method: 'GET',
    path: () => '/search/orders/stats',
    expected: { anonymous: 401, owner: 403, otherCustomer: 403, admin: 200 },
  },
  { method: 'GET', path: () => '/catalog', expected: { anonymous: 200, owner: 200, otherCustomer: 200, admin: 200 } },
  { method: 'GET', path: () => '/health', expected: { anonymous: 200, owner: 200, otherCustomer: 200, admin: 200 } },
  { method: 'GET', path: () => '/docs-json', expected: { anonymous: 200, owner: 200, otherCustomer: 200, admin: 200 } },
];

describe('authorization matrix', () => {
  let server: TestApp;
  let sessions: Record<Exclude<Caller, 'anonymous'>, Session>;
  let clients: Record<Caller, ApiClient>;

  beforeAll(async () => {
    server = await startTestApp('pglite');
    const anonymous = new ApiClient(server.baseUrl);
    sessions = {
      owner: await anonymous.register('Owner', 'owner@example.com'),
      otherCustomer: await anonymous.register('Other', 'other@example.com'),
      admin: await anonymous.login(ADMIN_EMAIL, ADMIN_PASSWORD),
    };
    clients = {
      anonymous,
      owner: sessions.owner.api,
      otherCustomer: sessions.otherCustomer.api,
      admin: sessions.admin.api,
    };
  });

  afterAll(() => server.close());

  const cases = MATRIX.flatMap((row) => CALLERS.map((caller) => [row.method, row, caller] as const));

  it.each(cases)('%s %s as %s', async (_method, row, caller) => {
    // A fresh order per case, so a permitted change never affects another case.
    const order = await sessions.owner.placeOrder([{ productId: 'M-0', qty: 1 }]);
    const path = row.path({ orderId: order.id, ownerId: sessions.owner.userId });
    const response = await clients[caller].request(row.method, path, row.body);
    expect({
      caller,
      path: path.replace(order.id, ':id').replace(sessions.owner.userId, ':owner'),
      status: response.status,
    }).toEqual({
      caller,
      path: path.replace(order.id, ':id').replace(sessions.owner.userId, ':owner'),
      status: row.expected[caller],
    });
  });

  it('applies the same rules to socket subscriptions and resumes', async () => {
    await expect(EventCollector.connect(server.baseUrl, undefined)).rejects.toThrow(/unauthorized/);
    const order = await sessions.owner.placeOrder([{ productId: 'M-9', qty: 1 }]);
    const seen: Record<string, number> = {};
    for (const caller of ['owner', 'otherCustomer', 'admin'] as const) {
      const socket = await sessions[caller].connect();
      const result: ResumeResult = await socket.socket.emitWithAck('orders.resume', {
        orders: [{ orderId: order.id, lastVersion: 0 }],
      });
      socket.close();
      seen[caller] = result.ok ? result.events.length : -1;
    }
    expect(seen).toEqual({ owner: 1, otherCustomer: 0, admin: 1 });
  });
});
