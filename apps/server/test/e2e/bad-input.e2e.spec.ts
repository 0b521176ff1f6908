import type { SearchOrdersResponse } from '@ordertrack/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, type Session } from '../support/api-client.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, DATABASE_MODES, startTestApp, type TestApp } from '../support/test-app.js';

describe.each(DATABASE_MODES)('bad input is refused with a clear 4xx and writes nothing, on %s', (mode) => {
  let server: TestApp;
  let admin: Session;
  let alice: Session;

  const orderCount = async (): Promise<number> =>
    (await admin.api.get<SearchOrdersResponse>(`/search/orders?userId=${alice.userId}`)).body.total;

  beforeAll(async () => {
    server = await startTestApp(mode, { BODY_LIMIT_BYTES: '4096' });
    const anonymous = new ApiClient(server.baseUrl);
    admin = await anonymous.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    alice = await anonymous.register('Alice', 'alice@example.com');
  });

  afterAll(() => server.close());

  const badOrders: Array<[string, unknown, number]> = [
    ['malformed JSON', '{"items": [', 400],
    ['a JSON string instead of an object', '"items"', 400],
    ['no items field', {}, 400],
    ['empty items', { items: [] }, 400],
    ['qty 0', { items: [{ productId: 'A1', qty: 0 }] }, 400],
    ['negative qty', { items: [{ productId: 'A1', qty: -3 }] }, 400],
    ['fractional qty', { items: [{ productId: 'A1', qty: 1.5 }] }, 400],
    ['huge qty', { items: [{ productId: 'A1', qty: 1e12 }] }, 400],
    ['qty as a string', { items: [{ productId: 'A1', qty: '2' }] }, 400],
    ['empty product id', { items: [{ productId: '', qty: 1 }] }, 400],
    ['SQL in product id', { items: [{ productId: "x'; DROP TABLE orders; --", qty: 1 }] }, 400],
    [
      'duplicate product ids',
      {
        items: [
          { productId: 'A1', qty: 1 },
          { productId: 'A1', qty: 2 },
        ],
      },
      400,
    ],
    ['too many items', { items: Array.from({ length: 51 }, (_, i) => ({ productId: `P${i}`, qty: 1 })) }, 400],
    ['an unknown top-level field', { items: [{ productId: 'A1', qty: 1 }], userId: 'someone-else' }, 400],
    ['an unknown item field', { items: [{ productId: 'A1', qty: 1, price: 0 }] }, 400],
    ['a body over the size limit', { items: [{ productId: 'A1', qty: 1 }], pad: 'x'.repeat(5000) }, 413],
  ];

  it.each(badOrders)('POST /orders with %s', async (_label, body, expected) => {
    const before = await orderCount();
    const response = await alice.api.post('/orders', body);
    expect(response.status).toBe(expected);
    expect(response.body).toMatchObject({
      statusCode: expected,
      error: expect.any(String),
      message: expect.any(String),
    });
    expect(await orderCount()).toBe(before);
  });

  it.each([
    ['/orders/not-a-uuid', 'GET'],
    ['/orders/3F2504E0-4F89-11D3-9A0C-0305E82C3301', 'GET'],
    ['/search/orders/123/history', 'GET'],
    ['/orders/user/xyz', 'GET'],
  ])('%s answers 400 for a non-canonical id', async (path, method) => {
    const response = await admin.api.request(method, path);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400, message: expect.stringMatching(/UUID/) });
  });

  it.each([
    ['status=LOST'],
    ['from=yesterday'],
    ['from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z'],
    ['size=0'],
    ['size=100000'],
    ['page=-1'],
    ['sort=id'],
    ['userId=1%20OR%201%3D1'],
  ])('GET /search/orders?%s answers 400', async (query) => {
    const response = await admin.api.get(`/search/orders?${query}`);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400, message: expect.any(String) });
  });

  it('treats query syntax in free text as plain text', async () => {
    for (const q of ["' OR 1=1 --", '*', 'status:CREATED OR *', '%', '_', '\\']) {
      const response = await admin.api.get<SearchOrdersResponse>(`/search/orders?q=${encodeURIComponent(q)}`);
      expect(response.status).toBe(200);
      expect(response.body.total).toBe(0);
    }
  });

  it('refuses bad registration and login bodies', async () => {
    const anonymous = new ApiClient(server.baseUrl);
    for (const body of [
      { name: 'x', email: 'not-an-email', password: 'password-123' },
      { name: '', email: 'x@example.com', password: 'password-123' },
      { name: 'x', email: 'x@example.com', password: 'short' },
      { name: 'x', email: 'x@example.com' },
    ]) {
      expect((await anonymous.post('/auth/register', body)).status).toBe(400);
    }
    expect((await anonymous.post('/auth/login', { email: 'x@example.com' })).status).toBe(400);
  });

  it('refuses malformed Idempotency-Key and If-Match headers', async () => {
    const order = await alice.placeOrder();
    const badKey = await alice.api.post(
      '/orders',
      { items: [{ productId: 'A1', qty: 1 }] },
      { 'Idempotency-Key': 'has space' },
    );
    expect(badKey.status).toBe(400);
    const badTag = await admin.api.patch(
      `/orders/${order.id}/status`,
      { status: 'ACCEPTED' },
      { 'If-Match': 'banana' },
    );
    expect(badTag.status).toBe(400);
  });

  it('answers unknown routes with 404 in the same error shape', async () => {
    const response = await admin.api.get('/nope');
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });
});
