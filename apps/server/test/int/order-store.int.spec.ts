import { randomUUID } from 'node:crypto';
import { asc, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DrizzleOrderStore } from '../../src/adapters/db/drizzle-order-store.js';
import { DrizzleAuditOutbox } from '../../src/adapters/db/drizzle-audit-outbox.js';
import { DrizzleOutboxStore } from '../../src/adapters/db/drizzle-outbox-store.js';
import { PLANNED_ONCE } from '../../src/adapters/db/planned-once.js';
import { RememberedOrders } from '../../src/adapters/db/remembered-orders.js';
import { auditEvents, idempotencyKeys, orderEvents, orders } from '../../src/adapters/db/schema.js';
import type { Actor } from '../../src/application/actor.js';
import type { IdempotencyClaim } from '../../src/application/ports/order-store.port.js';
import { DomainError } from '../../src/domain/domain-error.js';
import { decide } from '../../src/domain/orders/order-decider.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { changeStatus, insertUser, placeOrder } from '../support/fixtures.js';
import { DATABASE_MODES } from '../support/test-app.js';

const ITEMS = [{ productId: 'ESP-001', qty: 1 }];

/** How many transactions last wrote these orders: writes sharing a statement share its transaction id. */
async function transactionsThatWrote(database: TestDatabase, orderIds: readonly string[]): Promise<number> {
  const result = await database.handle.db.execute(
    sql`SELECT count(DISTINCT xmin::text)::int AS n FROM orders WHERE id = ANY(${`{${orderIds.join(',')}}`}::uuid[])`,
  );
  const [row] = (result as { rows: { n: number }[] }).rows;
  return row?.n ?? 0;
}

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
    await outbox.markPublished([{ positions: before.map((entry) => entry.position), at: new Date() }]);
    const orderId = await placeOrder(store, userId, ITEMS, new Date());
    await changeStatus(store, orderId, 'ACCEPTED', new Date());
    const pending = await outbox.fetchUnpublished(10);
    expect(pending.map((entry) => [entry.event.orderId, entry.event.version])).toEqual([
      [orderId, 1],
      [orderId, 2],
    ]);
    expect(await outbox.countUnpublished()).toBe(2);
    await outbox.markPublished([{ positions: pending.map((entry) => entry.position), at: new Date() }]);
    expect(await outbox.fetchUnpublished(10)).toEqual([]);
  });
});

/** One order written through a store: what each of its rows must hold afterwards. */
interface Written {
  orderId: string;
  qty: number;
  claim: IdempotencyClaim | undefined;
  /** The placement, then the change to ACCEPTED: each event's id, time and actor. */
  steps: Array<{ eventId: string; at: Date; actor: Actor | undefined }>;
}

describe.each(DATABASE_MODES)('an order store deciding on the states it wrote itself, on %s', (mode) => {
  let database: TestDatabase;
  let remembering: DrizzleOrderStore;
  /** Another writer the remembering store does not hear of, so what it remembers goes stale. */
  let other: DrizzleOrderStore;
  let userId: string;

  beforeAll(async () => {
    database = await openTestDatabase(mode);
    remembering = new DrizzleOrderStore(database.handle.db, { remembered: new RememberedOrders(100) });
    other = new DrizzleOrderStore(database.handle.db);
    userId = await insertUser(database.handle);
  });

  afterAll(() => database.close());

  it('goes on from what it wrote last, without reading it back', async () => {
    const orderId = await placeOrder(remembering, userId, ITEMS, new Date());
    expect(await changeStatus(remembering, orderId, 'ACCEPTED', new Date())).toBe(2);
    expect(await changeStatus(remembering, orderId, 'PREPARED', new Date())).toBe(3);
    const events = await remembering.eventsAfter([{ orderId, lastVersion: 0 }]);
    expect(events.map((event) => event.version)).toEqual([1, 2, 3]);
  });

  it('refuses a change allowed on a stale memory when the stored order forbids it, writing nothing', async () => {
    const orderId = await placeOrder(remembering, userId, ITEMS, new Date());
    await changeStatus(other, orderId, 'ACCEPTED', new Date());
    // Remembered as CREATED, where accepting is allowed; the version guard refuses that write.
    await expect(changeStatus(remembering, orderId, 'ACCEPTED', new Date())).rejects.toBeInstanceOf(DomainError);
    const events = await remembering.eventsAfter([{ orderId, lastVersion: 0 }]);
    expect(events.map((event) => event.version)).toEqual([1, 2]);
  });

  it('writes nothing of a change decided on a stale memory while the rest of its shared statement commits', async () => {
    const admin: Actor = { userId: randomUUID(), role: 'ADMIN' };
    const orderIds = await Promise.all(
      Array.from({ length: 6 }, () => placeOrder(remembering, userId, ITEMS, new Date())),
    );
    const [stale, ...fresh] = orderIds as [string, ...string[]];
    await changeStatus(other, stale, 'ACCEPTED', new Date());
    /** One step on from the state the change is decided on (remembered: CREATED; stored, for the stale one: ACCEPTED). */
    const advance = (orderId: string) =>
      remembering.execute(
        orderId,
        (state) =>
          decide(
            {
              kind: 'ChangeOrderStatus',
              orderId,
              to: state?.status === 'CREATED' ? 'ACCEPTED' : 'PREPARED',
              expectedVersion: undefined,
              eventId: randomUUID(),
              at: new Date(),
            },
            state,
          ),
        admin,
      );
    // Submitted in one event-loop turn, the six changes share one statement; the stale one is decided on CREATED.
    const changed = await Promise.all(orderIds.map(advance));
    expect(changed.map((change) => [change.order.status, change.order.version])).toEqual([
      ['PREPARED', 3],
      ...fresh.map(() => ['ACCEPTED', 2]),
    ]);
    expect(await transactionsThatWrote(database, fresh)).toBe(1);
    const events = await remembering.eventsAfter([{ orderId: stale, lastVersion: 0 }]);
    expect(events.map((event) => [event.version, event.status])).toEqual([
      [1, 'CREATED'],
      [2, 'ACCEPTED'],
      [3, 'PREPARED'],
    ]);
    const audited = await database.handle.db
      .select({ subjectId: auditEvents.subjectId, details: auditEvents.details })
      .from(auditEvents)
      .where(eq(auditEvents.actorId, admin.userId));
    expect(audited.filter((entry) => entry.subjectId === stale)).toHaveLength(1);
    expect(audited).toHaveLength(orderIds.length);
  });

  it('makes a change a stale memory would refuse when the stored order allows it', async () => {
    const orderId = await placeOrder(remembering, userId, ITEMS, new Date());
    await changeStatus(other, orderId, 'ACCEPTED', new Date());
    await changeStatus(other, orderId, 'PREPARED', new Date());
    // Remembered as CREATED, from which an order cannot ship.
    expect(await changeStatus(remembering, orderId, 'SHIPPED', new Date())).toBe(4);
    expect((await remembering.findById(orderId))?.status).toBe('SHIPPED');
  });
});

describe.each(DATABASE_MODES)('order writes prepared once per statement shape on %s', (mode) => {
  let database: TestDatabase;
  let userId: string;
  let customer: Actor;
  let admin: Actor;
  let calls = 0;

  beforeAll(async () => {
    database = await openTestDatabase(mode);
    userId = await insertUser(database.handle);
    customer = { userId, role: 'CUSTOMER' };
    admin = { userId: randomUUID(), role: 'ADMIN' };
  });

  afterAll(() => database.close());

  /** Every call gets its own quantity, time and ids, so a row holding another call's values is told apart. */
  async function place(store: DrizzleOrderStore, keyed: boolean, actor: Actor | undefined): Promise<Written> {
    calls += 1;
    const call = calls;
    const orderId = randomUUID();
    const eventId = randomUUID();
    const at = new Date(Date.UTC(2030, 0, 1, 0, call));
    const claim = keyed ? { userId, key: `key-${randomUUID()}`, requestHash: `hash-${call}` } : undefined;
    const items = [{ productId: 'ESP-001', qty: call }];
    const command = { kind: 'PlaceOrder', orderId, userId, items, eventId, at } as const;
    const result = await store.create(orderId, (state) => decide(command, state), claim, actor);
    expect(result.replayed).toBe(false);
    return { orderId, qty: call, claim, steps: [{ eventId, at, actor }] };
  }

  async function accept(store: DrizzleOrderStore, written: Written, actor: Actor | undefined): Promise<void> {
    calls += 1;
    const step = { eventId: randomUUID(), at: new Date(Date.UTC(2030, 0, 1, 0, calls)), actor };
    const { orderId } = written;
    const command = {
      kind: 'ChangeOrderStatus',
      orderId,
      to: 'ACCEPTED',
      expectedVersion: undefined,
      eventId: step.eventId,
      at: step.at,
    } as const;
    await store.execute(orderId, (state) => decide(command, state), actor);
    written.steps.push(step);
  }

  /** A new placement with a key already claimed: it must come back as a replay of the order that claimed it. */
  async function placeAgain(store: DrizzleOrderStore, claim: IdempotencyClaim | undefined, actor: Actor) {
    const command = {
      kind: 'PlaceOrder',
      orderId: randomUUID(),
      userId,
      items: ITEMS,
      eventId: randomUUID(),
      at: new Date(),
    } as const;
    const result = await store.create(command.orderId, (state) => decide(command, state), claim, actor);
    expect(await store.findById(command.orderId)).toBeNull();
    return result;
  }

  async function expectStored(written: Written): Promise<void> {
    const { db } = database.handle;
    const { orderId, steps } = written;
    const items = [{ productId: 'ESP-001', qty: written.qty }];
    const created = steps[0]?.at;
    const updated = steps.at(-1)?.at;
    const status = steps.length === 1 ? 'CREATED' : 'ACCEPTED';
    expect(await db.select().from(orders).where(eq(orders.id, orderId))).toEqual([
      { id: orderId, userId, status, items, version: steps.length, createdAt: created, updatedAt: updated },
    ]);
    const events = await db
      .select()
      .from(orderEvents)
      .where(eq(orderEvents.orderId, orderId))
      .orderBy(asc(orderEvents.version));
    expect(
      events.map(({ eventId, type, status, version, occurredAt, payload }) => ({
        eventId,
        type,
        status,
        version,
        occurredAt,
        payload,
      })),
    ).toEqual(
      steps.map((step, index) => ({
        eventId: step.eventId,
        type: index === 0 ? 'created' : 'updated',
        status: index === 0 ? 'CREATED' : 'ACCEPTED',
        version: index + 1,
        occurredAt: step.at,
        payload: { items },
      })),
    );
    const audited = await db
      .select()
      .from(auditEvents)
      .where(eq(auditEvents.subjectId, orderId))
      .orderBy(asc(auditEvents.position));
    expect(
      audited.map(({ occurredAt, action, actorId, actorRole, details }) => ({
        occurredAt,
        action,
        actorId,
        actorRole,
        eventId: details.eventId,
        version: details.version,
      })),
    ).toEqual(
      steps.flatMap((step, index) =>
        step.actor === undefined
          ? []
          : [
              {
                occurredAt: step.at,
                action: index === 0 ? 'order.created' : 'order.status_changed',
                actorId: step.actor.userId,
                actorRole: step.actor.role,
                eventId: step.eventId,
                version: index + 1,
              },
            ],
      ),
    );
    const { claim } = written;
    if (claim === undefined) return;
    const [key] = await db.select().from(idempotencyKeys).where(eq(idempotencyKeys.key, claim.key));
    expect(key).toMatchObject({ userId, requestHash: claim.requestHash, orderId });
  }

  /** One placement of each statement shape: with or without an idempotency key and an audited actor. */
  function placementShapes(): { keyed: boolean; actor: Actor | undefined }[] {
    return [
      { keyed: false, actor: undefined },
      { keyed: true, actor: customer },
      { keyed: false, actor: admin },
      { keyed: true, actor: undefined },
    ];
  }

  it('writes each call’s own values when calls of different shapes interleave', async () => {
    const store = new DrizzleOrderStore(database.handle.db);
    const variants = placementShapes();
    const written: Written[] = [];
    for (let round = 0; round < 2; round += 1) {
      for (const { keyed, actor } of variants) written.push(await place(store, keyed, actor));
    }
    for (const [index, order] of written.entries()) await accept(store, order, index % 3 === 0 ? undefined : admin);
    for (const order of written) await expectStored(order);

    // A replay goes through the same shape of statement as the placement and still finds the order it claimed.
    const replayed = written[1];
    const replay = await placeAgain(store, replayed?.claim, customer);
    expect(replay).toMatchObject({ replayed: true, order: { id: replayed?.orderId, version: 2 } });
  });

  it('coalesces concurrent placements of every shape into shared statements, each order with its own rows', async () => {
    const store = new DrizzleOrderStore(database.handle.db);
    const written = await Promise.all(
      Array.from({ length: 12 }, placementShapes).flatMap((shapes) =>
        shapes.map(({ keyed, actor }) => place(store, keyed, actor)),
      ),
    );
    for (const order of written) await expectStored(order);
    expect(
      await transactionsThatWrote(
        database,
        written.map((order) => order.orderId),
      ),
    ).toBeLessThan(written.length / 2);
  });

  it('coalesces concurrent status changes, audited or not, into shared statements, each with its own rows', async () => {
    const store = new DrizzleOrderStore(database.handle.db);
    const written: Written[] = [];
    for (const { keyed, actor } of Array.from({ length: 6 }, placementShapes).flat()) {
      written.push(await place(store, keyed, actor));
    }
    await Promise.all(written.map((order, index) => accept(store, order, index % 3 === 0 ? undefined : admin)));
    for (const order of written) await expectStored(order);
    expect(
      await transactionsThatWrote(
        database,
        written.map((order) => order.orderId),
      ),
    ).toBeLessThan(written.length / 2);
  });

  it('decides a change again when it lost its race inside a shared statement; the others commit', async () => {
    const store = new DrizzleOrderStore(database.handle.db);
    const contested = await place(store, false, undefined);
    const others = await Promise.all(Array.from({ length: 8 }, () => place(store, false, undefined)));
    /** Moves the order one step on from the state it is decided on (created or accepted), so either racer may win. */
    const advance = (orderId: string) =>
      store.execute(
        orderId,
        (state) => {
          const to = state?.status === 'CREATED' ? 'ACCEPTED' : 'PREPARED';
          const at = new Date();
          return decide(
            { kind: 'ChangeOrderStatus', orderId, to, expectedVersion: undefined, eventId: randomUUID(), at },
            state,
          );
        },
        admin,
      );
    // Submitted in one event-loop turn, both changes of the contested order are decided on version 1; the one
    // whose write fails (in a shared statement, then alone) is decided again on the order the winner left.
    const [first, second, ...rest] = await Promise.all([
      advance(contested.orderId),
      advance(contested.orderId),
      ...others.map((order) => advance(order.orderId)),
    ]);
    expect([first?.order.version, second?.order.version].sort()).toEqual([2, 3]);
    expect(rest.map((result) => [result.order.status, result.order.version])).toEqual(
      others.map(() => ['ACCEPTED', 2]),
    );
    const events = await store.eventsAfter([{ orderId: contested.orderId, lastVersion: 0 }]);
    expect(events.map((event) => [event.version, event.status])).toEqual([
      [1, 'CREATED'],
      [2, 'ACCEPTED'],
      [3, 'PREPARED'],
    ]);
  });

  it('retries a shared statement one placement at a time when one of them is refused: the others commit', async () => {
    const store = new DrizzleOrderStore(database.handle.db);
    const original = await place(store, true, customer);
    // Submitted in the same event-loop turn as twelve placements of its shape, so it shares their statement.
    const placements = Array.from({ length: 12 }, () => place(store, true, customer));
    const replay = await placeAgain(store, original.claim, customer);
    const others = await Promise.all(placements);
    expect(replay).toMatchObject({ replayed: true, order: { id: original.orderId } });
    for (const order of [original, ...others]) await expectStored(order);
  });

  it('answers each of a turn’s lookups with its own order; a malformed id fails only its own lookup', async () => {
    const store = new DrizzleOrderStore(database.handle.db);
    const placed = await Promise.all(Array.from({ length: 6 }, () => place(store, false, undefined)));
    const missing = randomUUID();
    const [malformed, absent, ...found] = await Promise.allSettled([
      store.findById('not-a-uuid'),
      store.findById(missing),
      ...placed.map((order) => store.findById(order.orderId)),
    ]);
    expect(malformed?.status).toBe('rejected');
    expect(absent).toEqual({ status: 'fulfilled', value: null });
    expect(found.map((result) => (result.status === 'fulfilled' ? result.value?.id : String(result.reason)))).toEqual(
      placed.map((order) => order.orderId),
    );
  });

  it('writes correctly from two stores over one database, which meet their shapes in different orders', async () => {
    // Sequential writes through one pool reuse one connection, so both stores' statements are prepared on it.
    const first = new DrizzleOrderStore(database.handle.db);
    const second = new DrizzleOrderStore(database.handle.db);
    const plain = await place(first, false, undefined);
    const keyedAudited = await place(second, true, customer);
    const plainBySecond = await place(second, false, undefined);
    const keyedAuditedByFirst = await place(first, true, customer);
    await accept(second, plain, admin);
    await accept(first, keyedAudited, undefined);
    await accept(first, plainBySecond, admin);
    await accept(second, keyedAuditedByFirst, undefined);
    const written = [plain, keyedAudited, plainBySecond, keyedAuditedByFirst];
    for (const order of written) await expectStored(order);
  });
});

describe.each(DATABASE_MODES)('marking, then fetching, on %s', (mode) => {
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
      const first = await table.fetchUnpublished(2);
      expect(first).toHaveLength(2);
      await table.markPublished([{ positions: first.map((entry) => entry.position), at: new Date() }]);
      const second = await table.fetchUnpublished(2);
      expect(second).toHaveLength(1);
      expect(second[0]?.position).toBeGreaterThan(first[1]?.position ?? Infinity);
      expect(await table.fetchUnpublished(10)).toEqual(second);
      await table.markPublished([{ positions: second.map((entry) => entry.position), at: new Date() }]);
      expect(await table.fetchUnpublished(2)).toEqual([]);
      expect(await table.fetchUnpublished(10)).toEqual([]);
    }
  });
});

describe('status changes on PGlite', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase('pglite');
  });

  afterAll(() => database.close());

  it('plans the statement of one order’s change once and reuses it, since it finds the order by primary key', async () => {
    const store = new DrizzleOrderStore(database.handle.db);
    const userId = await insertUser(database.handle);
    const placed: string[] = [];
    for (let order = 0; order < 8; order += 1) placed.push(await placeOrder(store, userId, ITEMS, new Date()));
    for (const orderId of placed) await changeStatus(store, orderId, 'ACCEPTED', new Date());
    const result = await database.handle.db.execute(
      sql`SELECT generic_plans::int AS generic FROM pg_prepared_statements WHERE statement LIKE ${`${PLANNED_ONCE}%UPDATE "orders"%`}`,
    );
    const { rows } = result as { rows: { generic: number }[] };
    expect(rows).toHaveLength(1);
    expect(rows[0]?.generic).toBeGreaterThan(0);
    for (const orderId of placed) expect((await store.findById(orderId))?.status).toBe('ACCEPTED');
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

  /** 200 orders placed by a new customer, their events fetched and marked published as the relay would. */
  async function placePublishedOrders() {
    const store = new DrizzleOrderStore(database.handle.db);
    const outbox = new DrizzleOutboxStore(database.handle);
    const userId = await insertUser(database.handle);
    for (let order = 0; order < 200; order += 1) await placeOrder(store, userId, ITEMS, new Date());
    await outbox.markPublished([
      { positions: (await outbox.fetchUnpublished(1000)).map((entry) => entry.position), at: new Date() },
    ]);
    return { store, outbox, userId };
  }

  it('vacuums the outbox tables, so published rows stop weighing on the relay’s fetch', async () => {
    const { outbox } = await placePublishedOrders();
    expect(await unpublishedIndexEntries()).toBeGreaterThanOrEqual(200);
    await database.handle.maintain();
    expect(await unpublishedIndexEntries()).toBe(0);
    expect(await outbox.fetchUnpublished(10)).toEqual([]);
  });

  it('flags the dead entries the relay’s fetch walks past, so they stop weighing on it before any vacuum', async () => {
    const { store, outbox, userId } = await placePublishedOrders();
    const latest = await placeOrder(store, userId, ITEMS, new Date());
    expect(await unpublishedIndexEntries()).toBeGreaterThanOrEqual(201);
    const fetched = await outbox.fetchUnpublished(10);
    expect(fetched.map((entry) => entry.event.orderId)).toEqual([latest]);
    expect(await unpublishedIndexEntries()).toBe(1);
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
    await outbox.markPublished([
      { positions: (await outbox.fetchUnpublished(100)).map((entry) => entry.position), at: new Date() },
    ]);

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
      await outbox.markPublished([{ positions: firstPass.map((entry) => entry.position), at: new Date() }]);

      await slow.query('COMMIT');
      const secondPass = await outbox.fetchUnpublished(100);
      expect(secondPass.map((entry) => [entry.event.orderId, entry.event.version])).toEqual([[slowOrder, 2]]);
      expect(secondPass[0]?.position).toBeLessThan(firstPass[0]?.position ?? 0);
    } finally {
      await slow.end();
    }
  });
});
