import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DrizzleOrderStore } from '../../src/adapters/db/drizzle-order-store.js';
import { DrizzleAuditOutbox } from '../../src/adapters/db/drizzle-audit-outbox.js';
import { DrizzleOutboxStore } from '../../src/adapters/db/drizzle-outbox-store.js';
import { DomainError } from '../../src/domain/domain-error.js';
import { decide } from '../../src/domain/orders/order-decider.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { changeStatus, insertUser, placeOrder } from '../support/fixtures.js';
import { DATABASE_MODES } from '../support/test-app.js';

const ITEMS = [{ productId: 'ESP-001', qty: 1 }];

describe.each(DATABASE_MODES)('order store and outbox on %s', (mode) => {
  let database: TestDatabase;
  let store: DrizzleOrderStore;
  let outbox: DrizzleOutboxStore;
  let userId: string;

  beforeAll(async () => {
    database = await openTestDatabase(mode);
    store = new DrizzleOrderStore(database.handle.db);
    outbox = new DrizzleOutboxStore(database.handle);
    userId = await insertUser(database.handle);
  });

  afterAll(() => database.close());

  it('writes the order and its event together, and neither when the decision fails', async () => {
    const orderId = await placeOrder(store, userId, ITEMS, new Date());
    expect(await store.eventsAfter([{ orderId, lastVersion: 0 }])).toHaveLength(1);
    await expect(changeStatus(store, orderId, 'DELIVERED', new Date())).rejects.toBeInstanceOf(DomainError);
    expect((await store.findById(orderId))?.version).toBe(1);
    expect(await store.eventsAfter([{ orderId, lastVersion: 0 }])).toHaveLength(1);
  });

  it('places an order in one atomic statement: a failing event insert leaves no order and no claimed key', async () => {
    const taken = await placeOrder(store, userId, ITEMS, new Date());
    const [takenEvent] = await store.eventsAfter([{ orderId: taken, lastVersion: 0 }]);
    const orderId = randomUUID();
    const claim = { userId, key: `key-${randomUUID()}`, requestHash: 'body' };
    const command = {
      kind: 'PlaceOrder',
      orderId,
      userId,
      items: ITEMS,
      eventId: takenEvent?.eventId ?? '',
      at: new Date(),
    } as const;
    await expect(store.create(orderId, (state) => decide(command, state), claim)).rejects.toThrow();
    expect(await store.findById(orderId)).toBeNull();
    const retried = await store.create(orderId, (state) => decide({ ...command, eventId: randomUUID() }, state), claim);
    expect(retried).toMatchObject({ replayed: false, order: { id: orderId, version: 1 } });
  });

  it('serialises concurrent changes of one order: exactly one wins each version', async () => {
    const orderId = await placeOrder(store, userId, ITEMS, new Date());
    const attempts = await Promise.allSettled(
      Array.from({ length: 8 }, () => changeStatus(store, orderId, 'ACCEPTED', new Date(), 1)),
    );
    expect(attempts.filter((attempt) => attempt.status === 'fulfilled')).toHaveLength(1);
    const failures = attempts.flatMap((attempt) =>
      attempt.status === 'rejected' ? [attempt.reason as DomainError] : [],
    );
    expect(failures.every((failure) => failure.code === 'VERSION_MISMATCH')).toBe(true);
    const events = await store.eventsAfter([{ orderId, lastVersion: 0 }]);
    expect(events.map((event) => event.version)).toEqual([1, 2]);
  });

  it('creates one order for concurrent requests with the same idempotency key', async () => {
    const claim = { userId, key: `key-${randomUUID()}`, requestHash: 'same-body' };
    const results = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const orderId = randomUUID();
        const command = {
          kind: 'PlaceOrder',
          orderId,
          userId,
          items: ITEMS,
          eventId: randomUUID(),
          at: new Date(),
        } as const;
        return store.create(orderId, (state) => decide(command, state), claim);
      }),
    );
    expect(new Set(results.map((result) => result.order.id)).size).toBe(1);
    expect(results.filter((result) => !result.replayed)).toHaveLength(1);
  });

  it('hands out unpublished events oldest first and forgets them once marked published', async () => {
    const before = await outbox.fetchUnpublished(10_000);
    await outbox.markPublished(
      before.map((entry) => entry.position),
      new Date(),
    );
    const orderId = await placeOrder(store, userId, ITEMS, new Date());
    await changeStatus(store, orderId, 'ACCEPTED', new Date());
    const pending = await outbox.fetchUnpublished(10);
    expect(pending.map((entry) => [entry.event.orderId, entry.event.version])).toEqual([
      [orderId, 1],
      [orderId, 2],
    ]);
    expect(await outbox.countUnpublished()).toBe(2);
    await outbox.markPublished(
      pending.map((entry) => entry.position),
      new Date(),
    );
    expect(await outbox.fetchUnpublished(10)).toEqual([]);
  });
});

describe.each(DATABASE_MODES)('marking and fetching in one round trip on %s', (mode) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase(mode);
  });

  afterAll(() => database.close());

  it('marks the batch handed over and returns the next unpublished rows, never the ones just marked', async () => {
    const store = new DrizzleOrderStore(database.handle.db);
    const outbox = new DrizzleOutboxStore(database.handle);
    const audit = new DrizzleAuditOutbox(database.handle.db);
    const userId = await insertUser(database.handle);
    const actor = { userId, role: 'CUSTOMER' } as const;
    for (let order = 0; order < 3; order += 1) await placeOrder(store, userId, ITEMS, new Date(), randomUUID(), actor);
    for (const table of [outbox, audit]) {
      const first = await table.markPublishedThenFetch([], new Date(), 2);
      expect(first).toHaveLength(2);
      const second = await table.markPublishedThenFetch(
        first.map((entry) => entry.position),
        new Date(),
        2,
      );
      expect(second).toHaveLength(1);
      expect(second[0]?.position).toBeGreaterThan(first[1]?.position ?? Infinity);
      expect(await table.fetchUnpublished(10)).toEqual(second);
      expect(
        await table.markPublishedThenFetch(
          second.map((entry) => entry.position),
          new Date(),
          2,
        ),
      ).toEqual([]);
      expect(await table.fetchUnpublished(10)).toEqual([]);
    }
  });
});

describe('outbox housekeeping on PGlite (no autovacuum)', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
  });

  afterAll(() => database.close());

  /** Index entries the "unpublished" partial index hands a scan, dead ones included (a bitmap scan visits them all). */
  async function unpublishedIndexEntries(): Promise<number> {
    const { db } = database.handle;
    await db.execute(sql`SET enable_seqscan = off`);
    await db.execute(sql`SET enable_indexscan = off`);
    try {
      const result = await db.execute(
        sql`EXPLAIN (ANALYZE, FORMAT JSON) SELECT position FROM order_events WHERE published_at IS NULL`,
      );
      const text = JSON.stringify(result);
      const match = /"Node Type":"Bitmap Index Scan"[^}]*?"Actual Rows":(\d+)/.exec(text.replaceAll('\\"', '"'));
      if (match?.[1] === undefined) throw new Error(`no bitmap index scan in ${text}`);
      return Number(match[1]);
    } finally {
      await db.execute(sql`RESET enable_seqscan`);
      await db.execute(sql`RESET enable_indexscan`);
    }
  }

  it('vacuums the outbox tables, so published rows stop weighing on the relay’s fetch', async () => {
    const store = new DrizzleOrderStore(database.handle.db);
    const outbox = new DrizzleOutboxStore(database.handle);
    const userId = await insertUser(database.handle);
    for (let order = 0; order < 200; order += 1) await placeOrder(store, userId, ITEMS, new Date());
    await outbox.markPublished(
      (await outbox.fetchUnpublished(1000)).map((entry) => entry.position),
      new Date(),
    );
    expect(await outbox.fetchUnpublished(10)).toEqual([]);
    expect(await unpublishedIndexEntries()).toBeGreaterThanOrEqual(200);
    await database.handle.maintain();
    expect(await unpublishedIndexEntries()).toBe(0);
  });
});

describe('outbox on PostgreSQL with interleaved transactions', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase('postgres');
  });

  afterAll(() => database.close());

  it('never skips an event whose transaction commits after a later-numbered one', async () => {
    const store = new DrizzleOrderStore(database.handle.db);
    const outbox = new DrizzleOutboxStore(database.handle);
    const userId = await insertUser(database.handle);
    const slowOrder = await placeOrder(store, userId, ITEMS, new Date());
    await outbox.markPublished(
      (await outbox.fetchUnpublished(100)).map((entry) => entry.position),
      new Date(),
    );

    const { default: pg } = await import('pg');
    const slow = new pg.Client({ connectionString: database.url });
    await slow.connect();
    try {
      // The slow transaction takes its position first but commits last.
      await slow.query('BEGIN');
      await slow.query(`UPDATE orders SET status = 'ACCEPTED', version = 2, updated_at = now() WHERE id = $1`, [
        slowOrder,
      ]);
      await slow.query(
        `INSERT INTO order_events (event_id, order_id, user_id, type, status, version, occurred_at, payload)
         VALUES ($1, $2, $3, 'updated', 'ACCEPTED', 2, now(), $4)`,
        [randomUUID(), slowOrder, userId, JSON.stringify({ items: ITEMS })],
      );
      const fastOrder = await placeOrder(store, userId, ITEMS, new Date());

      const firstPass = await outbox.fetchUnpublished(100);
      expect(firstPass.map((entry) => entry.event.orderId)).toEqual([fastOrder]);
      await outbox.markPublished(
        firstPass.map((entry) => entry.position),
        new Date(),
      );

      await slow.query('COMMIT');
      const secondPass = await outbox.fetchUnpublished(100);
      expect(secondPass.map((entry) => [entry.event.orderId, entry.event.version])).toEqual([[slowOrder, 2]]);
      expect(secondPass[0]?.position).toBeLessThan(firstPass[0]?.position ?? 0);
    } finally {
      await slow.end();
    }
  });
});
