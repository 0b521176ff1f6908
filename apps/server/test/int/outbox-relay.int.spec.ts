import type { OrderLifecycleEvent } from '@ordertrack/shared';
import { inArray, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DrizzleOrderStore } from '../../src/adapters/db/drizzle-order-store.js';
import { DrizzleOutboxStore } from '../../src/adapters/db/drizzle-outbox-store.js';
import { openPostgresDatabase } from '../../src/adapters/db/database.js';
import { orderEvents } from '../../src/adapters/db/schema.js';
import { SystemClock } from '../../src/adapters/system-clock.js';
import { EventPublisher } from '../../src/application/ports/event-bus.port.js';
import { loadConfig } from '../../src/config/app-config.js';
import { OrderWriteGate } from '../../src/application/orders/order-write-gate.js';
import { OutboxRelay } from '../../src/outbox/outbox-relay.js';
import { CommittedEntries } from '../../src/outbox/committed-entries.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { changeStatus, insertUser, placeOrder } from '../support/fixtures.js';
import { DATABASE_MODES } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

/** Accepts batches except when told to fail, recording what it accepted. */
class RecordingPublisher extends EventPublisher {
  readonly accepted: OrderLifecycleEvent[] = [];
  failuresLeft = 0;

  publish(events: readonly OrderLifecycleEvent[]): Promise<void> {
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      return Promise.reject(new Error('broker unavailable'));
    }
    this.accepted.push(...events);
    return Promise.resolve();
  }
}

const relayConfig = loadConfig({ OUTBOX_POLL_INTERVAL_MS: '50', OUTBOX_BATCH_SIZE: '7' });

/** Counts the relay's reads of the table. */
class ReadCountingOutbox extends DrizzleOutboxStore {
  reads = 0;

  override fetchUnpublished(limit: number): ReturnType<DrizzleOutboxStore['fetchUnpublished']> {
    this.reads += 1;
    return super.fetchUnpublished(limit);
  }
}

/** A relay that polls only once a minute, taking its own process's commits as hand-overs, counting its reads. */
function relayWithHandOvers(database: TestDatabase) {
  const committed = new CommittedEntries();
  const outbox = new ReadCountingOutbox(database.handle);
  const publisher = new RecordingPublisher();
  const slowPolling = loadConfig({ OUTBOX_POLL_INTERVAL_MS: '60000' });
  const relay = new OutboxRelay(outbox, publisher, new SystemClock(), slowPolling, new OrderWriteGate(), committed);
  return { committed, outbox, publisher, relay };
}

describe.each(DATABASE_MODES)('outbox relay on %s', (mode) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase(mode);
  });

  afterAll(() => database.close());

  it('keeps events unpublished while the bus fails, then delivers each one in order', async () => {
    const store = new DrizzleOrderStore(database.handle.db);
    const outbox = new DrizzleOutboxStore(database.handle);
    const publisher = new RecordingPublisher();
    publisher.failuresLeft = 3;
    const userId = await insertUser(database.handle);
    const orderIds: string[] = [];
    for (let i = 0; i < 6; i += 1) {
      const orderId = await placeOrder(store, userId, [{ productId: `P-${i}`, qty: 1 }], new Date());
      await changeStatus(store, orderId, 'ACCEPTED', new Date());
      await changeStatus(store, orderId, 'CANCELED', new Date());
      orderIds.push(orderId);
    }
    const relay = new OutboxRelay(
      outbox,
      publisher,
      new SystemClock(),
      relayConfig,
      new OrderWriteGate(),
      new CommittedEntries(),
    );
    await relay.onApplicationBootstrap();
    try {
      await waitFor('all 18 events published', async () =>
        (await outbox.countUnpublished()) === 0 ? true : undefined,
      );
    } finally {
      await relay.onModuleDestroy();
    }
    expect(publisher.failuresLeft).toBe(0);
    expect(publisher.accepted).toHaveLength(18);
    for (const orderId of orderIds) {
      expect(publisher.accepted.filter((event) => event.orderId === orderId).map((event) => event.version)).toEqual([
        1, 2, 3,
      ]);
    }
  });

  it('is woken by a commit instead of waiting for its poll', async () => {
    const store = new DrizzleOrderStore(database.handle.db);
    const outbox = new DrizzleOutboxStore(database.handle);
    const publisher = new RecordingPublisher();
    const slowPolling = loadConfig({ OUTBOX_POLL_INTERVAL_MS: '60000' });
    const relay = new OutboxRelay(
      outbox,
      publisher,
      new SystemClock(),
      slowPolling,
      new OrderWriteGate(),
      new CommittedEntries(),
    );
    await relay.onApplicationBootstrap();
    try {
      const userId = await insertUser(database.handle);
      const orderId = await placeOrder(store, userId, [{ productId: 'P-1', qty: 1 }], new Date());
      await waitFor(
        'the new order published',
        () => publisher.accepted.find((event) => event.orderId === orderId),
        5000,
      );
    } finally {
      await relay.onModuleDestroy();
    }
  });

  it("publishes its own commits as they are handed over, and reads the table for another writer's", async () => {
    const { committed, outbox, publisher, relay } = relayWithHandOvers(database);
    const userId = await insertUser(database.handle);
    await relay.onApplicationBootstrap();
    try {
      await waitFor('the first read of the table', () => (outbox.reads > 0 ? true : undefined));
      const readsAtStart = outbox.reads;
      const own = new DrizzleOrderStore(database.handle.db, { committed });
      const mine = await placeOrder(own, userId, [{ productId: 'P-1', qty: 1 }], new Date());
      await changeStatus(own, mine, 'ACCEPTED', new Date());
      const versionsOf = (orderId: string) =>
        publisher.accepted.filter((event) => event.orderId === orderId).map((event) => event.version);
      await waitFor('both own events published', () => (versionsOf(mine).length === 2 ? true : undefined), 5000);
      expect(outbox.reads).toBe(readsAtStart);

      const other = new DrizzleOrderStore(database.handle.db, { committed: new CommittedEntries() });
      const theirs = await placeOrder(other, userId, [{ productId: 'P-2', qty: 1 }], new Date());
      await waitFor(
        "the other writer's event published",
        () => (versionsOf(theirs).length > 0 ? true : undefined),
        5000,
      );
      expect(outbox.reads).toBeGreaterThan(readsAtStart);
      expect(versionsOf(mine)).toEqual([1, 2]);
      expect(versionsOf(theirs)).toEqual([1]);
    } finally {
      await relay.onModuleDestroy();
    }
    expect(await outbox.countUnpublished()).toBe(0);
  });

  it('sends no NOTIFY for its own commits while its relay leads; a writer whose relay does not lead sends one', async () => {
    const { committed, outbox, publisher, relay } = relayWithHandOvers(database);
    const notified: string[] = [];
    const stopListening = await database.handle.listenForOutbox((writer) => notified.push(writer));
    const userId = await insertUser(database.handle);
    await relay.onApplicationBootstrap();
    try {
      await waitFor('the relay leading', () => (outbox.reads > 0 ? true : undefined));
      expect(committed.othersMustBeWoken).toBe(false);
      const mine = await placeOrder(
        new DrizzleOrderStore(database.handle.db, { committed }),
        userId,
        [{ productId: 'P-1', qty: 1 }],
        new Date(),
      );
      await waitFor('the own event published', () => publisher.accepted.find((event) => event.orderId === mine));
      const otherWriter = new CommittedEntries();
      await placeOrder(
        new DrizzleOrderStore(database.handle.db, { committed: otherWriter }),
        userId,
        [{ productId: 'P-2', qty: 1 }],
        new Date(),
      );
      // Notifications arrive in commit order: once the later commit's is here, the earlier one's would be too.
      await waitFor("the other writer's NOTIFY", () => (notified.includes(otherWriter.writerId) ? true : undefined));
      expect(notified).not.toContain(committed.writerId);
    } finally {
      await relay.onModuleDestroy();
      await stopListening();
    }
    expect(committed.othersMustBeWoken).toBe(true);
  });
});

describe.each(DATABASE_MODES)('outbox marks on %s', (mode) => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase(mode);
  });

  afterAll(() => database.close());

  it('marks events published without leaving asynchronous commit on the connection for the writes after them', async () => {
    // One connection, so the statements after the mark run where it ran (PGlite has only one anyway).
    const single = database.url === undefined ? database.handle : await openPostgresDatabase({ url: database.url }, 1);
    try {
      const store = new DrizzleOrderStore(single.db);
      const outbox = new DrizzleOutboxStore(single);
      const userId = await insertUser(single);
      await placeOrder(store, userId, [{ productId: 'P-1', qty: 1 }], new Date());
      const pending = await outbox.fetchUnpublished(10);
      expect(pending).toHaveLength(1);
      await outbox.markPublished([{ positions: pending.map((entry) => entry.position), at: new Date() }]);
      expect(await outbox.countUnpublished()).toBe(0);
      const setting = await single.db.execute(sql`SELECT current_setting('synchronous_commit') AS value`);
      expect((setting as { rows: { value: string }[] }).rows).toEqual([{ value: 'on' }]);
    } finally {
      if (single !== database.handle) await single.close();
    }
  });

  it('marks several batches in one write, each row with its own batch time', async () => {
    const store = new DrizzleOrderStore(database.handle.db);
    const outbox = new DrizzleOutboxStore(database.handle);
    const userId = await insertUser(database.handle);
    for (const productId of ['P-1', 'P-2', 'P-3']) await placeOrder(store, userId, [{ productId, qty: 1 }], new Date());
    const [first, second, third] = (await outbox.fetchUnpublished(10)).map((entry) => entry.position);
    const earlier = new Date('2026-03-01T12:00:00.005Z');
    const later = new Date('2026-03-01T12:00:00.017Z');
    await outbox.markPublished([
      { positions: [first ?? 0], at: earlier },
      { positions: [second ?? 0, third ?? 0], at: later },
    ]);
    const rows = await database.handle.db
      .select({ position: orderEvents.position, publishedAt: orderEvents.publishedAt })
      .from(orderEvents)
      .where(inArray(orderEvents.position, [first ?? 0, second ?? 0, third ?? 0]))
      .orderBy(orderEvents.position);
    expect(rows.map((row) => row.publishedAt?.toISOString())).toEqual([
      earlier.toISOString(),
      later.toISOString(),
      later.toISOString(),
    ]);
  });
});

describe('outbox relay leadership across instances on PostgreSQL', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await openTestDatabase('postgres');
  });

  afterAll(() => database.close());

  it('lets exactly one instance publish, and hands over when the leader stops', async () => {
    const url = database.url ?? '';
    const first = await openPostgresDatabase({ url }, 2);
    const second = await openPostgresDatabase({ url }, 2);
    try {
      expect(await first.holdsRelayLeadership()).toBe(true);
      expect(await second.holdsRelayLeadership()).toBe(false);
      await first.close();
      expect(
        await waitFor('leadership handed over', async () => ((await second.holdsRelayLeadership()) ? true : undefined)),
      ).toBe(true);
    } finally {
      await second.close();
      await first.close().catch(() => undefined);
    }
  });
});
