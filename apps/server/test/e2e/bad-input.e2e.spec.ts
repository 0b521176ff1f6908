import { randomUUID } from 'node:crypto';
import { MAX_RESUME_ORDERS, type OrderPage, type ResumeResult, type SearchOrdersResponse } from '@ordertrack/shared';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SOCKET_MESSAGE_BYTES } from '../../src/adapters/socket/orders.gateway.js';
import { ApiClient, type Session } from '../support/api-client.js';
import {
  openTestIndices,
  TEST_ELASTICSEARCH_URL,
  uniqueIndexPrefix,
  type TestIndices,
} from '../support/elasticsearch.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type DatabaseMode, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

/** Each database, and PostgreSQL with search on Elasticsearch, so search input reaches both search backends. */
const SETUPS: Array<[string, DatabaseMode, boolean]> = [
  ['pglite', 'pglite', false],
  ['postgres', 'postgres', false],
  ['postgres with Elasticsearch search', 'postgres', true],
];

describe.each(SETUPS)('bad input is refused with a clear 4xx and writes nothing, on %s', (_name, mode, withEs) => {
  let server: TestApp;
  let indices: TestIndices | undefined;
  let admin: Session;
  let alice: Session;
  let aliceOrderId: string;

  /** Counted from the database (not search), so it is exact on the Elasticsearch set-up too. */
  const orderCount = async (): Promise<number> =>
    (await alice.api.get<OrderPage>(`/orders/user/${alice.userId}?limit=100`)).body.items.length;

  beforeAll(async () => {
    const prefix = uniqueIndexPrefix();
    server = await startTestApp(mode, {
      BODY_LIMIT_BYTES: '4096',
      ...(withEs ? { ELASTICSEARCH_URL: TEST_ELASTICSEARCH_URL, ES_INDEX_PREFIX: prefix } : {}),
    });
    if (withEs) indices = await openTestIndices(prefix);
    const anonymous = new ApiClient(server.baseUrl);
    admin = await anonymous.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    alice = await anonymous.register('Alice', 'alice@example.com');
    // One searchable order, so a query that matched everything would show.
    aliceOrderId = (await alice.placeOrder([{ productId: 'ESP-001', qty: 1 }])).id;
    await waitFor('the order to be searchable', async () => {
      const found = await admin.api.get<SearchOrdersResponse>(`/search/orders?orderId=${aliceOrderId}`);
      return found.body.total === 1 ? true : undefined;
    });
  });

  afterAll(async () => {
    await server?.close();
    await indices?.close();
  });

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

  it.each([
    ["' OR 1=1 --"],
    ['*'],
    ['?'],
    ['status:CREATED OR *'],
    ['productId:*'],
    ['items.productId:ESP*'],
    ['%'],
    ['_'],
    ['\\'],
    ['"unterminated'],
    ['(a OR'],
    ['/.*/'],
    ['ESP~2'],
    ['[* TO *]'],
    ['{!lucene}*'],
    ['&& || !'],
    ['ESP-001^10 XYZ'],
    ['<script>alert(1)</script>'],
    ['\\u0000'],
    ['%00'],
    ['x'.repeat(200)],
  ])('treats %j in free text as plain text: 200 with no match, never a 5xx', async (q) => {
    const response = await admin.api.get<SearchOrdersResponse>(`/search/orders?q=${encodeURIComponent(q)}`);
    expect(response.status).toBe(200);
    expect(response.body.total).toBe(0);
    // The same text as a literal term still finds a real order: escaping did not break matching.
    const literal = await admin.api.get<SearchOrdersResponse>(`/search/orders?q=esp-001`);
    expect(literal.body.total).toBe(1);
  });

  it.each([
    ['orderId=*'],
    ['orderId=%27%20OR%201%3D1%20--'],
    ['userId=*'],
    ['userId=a%20OR%20b'],
    ['status=CREATED%20OR%20*'],
    ['status=*'],
    ['from=now-1d'],
    ['to=*'],
    ['q=' + 'x'.repeat(201)],
    ['q=%20%20'],
    ['q=a%00b'],
    ['size=*'],
  ])('GET /search/orders?%s answers 400 on this backend too', async (query) => {
    const response = await admin.api.get(`/search/orders?${query}`);
    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ statusCode: 400, message: expect.any(String) });
  });

  it.each([['from=yesterday'], ['from=2026-13-45T00:00:00Z'], ['to=%27%3B%20DROP%20TABLE%20orders%3B']])(
    'GET /search/orders/stats?%s answers 400',
    async (query) => {
      const response = await admin.api.get(`/search/orders/stats?${query}`);
      expect(response.status).toBe(400);
    },
  );

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

  describe('socket messages', () => {
    /** Untyped on purpose: these tests send what the typed client map would not let through. */
    let socket: Socket;
    const VALID_UUID = '3f2504e0-4f89-41d3-9a0c-0305e82c3301';

    const connect = async (): Promise<Socket> => {
      const connected = io(`${server.baseUrl}/orders`, {
        auth: { token: alice.auth.accessToken },
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
      });
      await new Promise<void>((resolve, reject) => {
        connected.once('connect', () => resolve());
        connected.once('connect_error', reject);
      });
      return connected;
    };

    /** The socket still answers a valid request with alice's order history, and HTTP still works. */
    const expectUsable = async (target: Socket): Promise<void> => {
      const result = (await target
        .timeout(10_000)
        .emitWithAck('orders.resume', { orders: [{ orderId: aliceOrderId, lastVersion: 0 }] })) as ResumeResult;
      expect(result).toMatchObject({ ok: true, events: [expect.objectContaining({ orderId: aliceOrderId })] });
      expect((await new ApiClient(server.baseUrl).get('/health')).status).toBe(200);
    };

    const nested = (depth: number): unknown => {
      let value: unknown = { orderId: VALID_UUID, lastVersion: 0 };
      for (let i = 0; i < depth; i++) value = [value];
      return value;
    };
    const resume = (orderId: unknown, lastVersion: unknown = 0) => ({ orders: [{ orderId, lastVersion }] });

    beforeAll(async () => {
      socket = await connect();
    });

    afterAll(() => {
      socket.close();
    });

    const badResumes: Array<[string, unknown[]]> = [
      ['no payload at all', []],
      ['null', [null]],
      ['a string', ['orders']],
      ['a number', [42]],
      ['a boolean', [true]],
      ['an array', [[{ orderId: VALID_UUID, lastVersion: 0 }]]],
      ['an empty object', [{}]],
      ['orders as a string', [{ orders: VALID_UUID }]],
      ['orders as an object', [{ orders: { orderId: VALID_UUID, lastVersion: 0 } }]],
      ['a null entry', [{ orders: [null] }]],
      ['an entry without lastVersion', [{ orders: [{ orderId: VALID_UUID }] }]],
      ['an entry without orderId', [{ orders: [{ lastVersion: 0 }] }]],
      ['a non-UUID order id', [resume('not-a-uuid')]],
      ['an upper-case (non-canonical) UUID', [resume(VALID_UUID.toUpperCase())]],
      ['a UUID in braces', [resume(`{${VALID_UUID}}`)]],
      ['a UUID without dashes', [resume(VALID_UUID.replaceAll('-', ''))]],
      ['a UUID with trailing space', [resume(`${VALID_UUID} `)]],
      ['an order id with SQL', [resume("' OR 1=1; DROP TABLE orders; --")]],
      ['an order id with a NUL byte', [resume(`${VALID_UUID}\u0000`)]],
      ['an order id with a lone surrogate', [resume(`${VALID_UUID.slice(0, -1)}\ud800`)]],
      ['an order id with right-to-left override and zero-width characters', [resume(`\u202E${VALID_UUID}\u200B`)]],
      [
        'an order id in full-width digits',
        [resume(VALID_UUID.replace(/\d/g, (d) => String.fromCodePoint(0xff10 + Number(d))))],
      ],
      ['an order id that is an object', [resume({ $ne: null })]],
      ['a negative version', [resume(VALID_UUID, -1)]],
      ['a fractional version', [resume(VALID_UUID, 1.5)]],
      ['a version beyond safe integers', [resume(VALID_UUID, 2 ** 64)]],
      ['a version of 1e308', [resume(VALID_UUID, 1e308)]],
      ['a version as a string', [resume(VALID_UUID, '0')]],
      ['a null version', [resume(VALID_UUID, null)]],
      ['an unknown top-level field', [{ orders: [], all: true }]],
      ['an unknown entry field', [{ orders: [{ orderId: VALID_UUID, lastVersion: 0, userId: VALID_UUID }] }]],
      ['a prototype-polluting field', [JSON.parse('{"orders": [], "__proto__": {"admin": true}}')]],
      [
        'more orders than allowed',
        [{ orders: Array.from({ length: MAX_RESUME_ORDERS + 1 }, () => ({ orderId: randomUUID(), lastVersion: 0 })) }],
      ],
      ['a deeply nested payload', [{ orders: nested(1000) }]],
      ['a long string just under the message limit', [resume('x'.repeat(MAX_SOCKET_MESSAGE_BYTES - 200))]],
    ];

    it.each(badResumes)(
      'orders.resume with %s gets an error ack, and the socket stays usable',
      async (_label, args) => {
        const before = await orderCount();
        const result = (await socket.timeout(10_000).emitWithAck('orders.resume', ...args)) as ResumeResult;
        expect(result).toMatchObject({ ok: false, error: expect.any(String) });
        expect(socket.connected).toBe(true);
        await expectUsable(socket);
        expect(await orderCount()).toBe(before);
      },
    );

    it('answers a valid request for unknown or foreign orders with no events, not an error', async () => {
      const result = (await socket.timeout(10_000).emitWithAck('orders.resume', resume(randomUUID()))) as ResumeResult;
      expect(result).toEqual({ ok: true, events: [] });
    });

    it('survives messages sent without an ack callback, and refuses extra arguments', async () => {
      socket.emit('orders.resume', 'garbage');
      socket.emit('orders.resume', resume(aliceOrderId));
      socket.emit('orders.resume');
      const extra = (await socket
        .timeout(10_000)
        .emitWithAck('orders.resume', resume(aliceOrderId), 'extra', { more: true })) as ResumeResult;
      expect(extra).toMatchObject({ ok: false, error: expect.any(String) });
      await expectUsable(socket);
    });

    it('ignores unknown events and server-to-client event names sent by a client', async () => {
      const before = await orderCount();
      socket.emit('orders.place', { items: [{ productId: 'ESP-001', qty: 1 }] });
      socket.emit('order.updated', { orderId: aliceOrderId, status: 'DELIVERED' });
      socket.emit('session.ended', { reason: 'server-shutdown' });
      await expectUsable(socket);
      expect(await orderCount()).toBe(before);
      const order = await alice.api.get<{ status: string }>(`/orders/${aliceOrderId}`);
      expect(order.body.status).toBe('CREATED');
    });

    it('drops a socket whose message is over the size limit, and the server keeps serving others', async () => {
      const oversized = await connect();
      const closed = new Promise<string>((resolve) => oversized.once('disconnect', resolve));
      oversized.emit('orders.resume', resume('x'.repeat(MAX_SOCKET_MESSAGE_BYTES + 1024)), () => undefined);
      expect(await closed).toMatch(/close/);
      await expectUsable(socket);
      const fresh = await connect();
      try {
        await expectUsable(fresh);
      } finally {
        fresh.close();
      }
    });
  });
});
