import type { OrderLifecycleEvent } from '@ordertrack/shared';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DrizzleOrderStore } from '../../src/adapters/db/drizzle-order-store.js';
import { DrizzleOutboxStore } from '../../src/adapters/db/drizzle-outbox-store.js';
import { openPostgresDatabase } from '../../src/adapters/db/database.js';
import { SystemClock } from '../../src/adapters/system-clock.js';
import { EventPublisher } from '../../src/application/ports/event-bus.port.js';
import { loadConfig } from '../../src/config/app-config.js';
import { OrderWriteGate } from '../../src/application/orders/order-write-gate.js';
import { OutboxRelay } from '../../src/outbox/outbox-relay.js';
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
    const relay = new OutboxRelay(outbox, publisher, new SystemClock(), relayConfig, new OrderWriteGate());
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
    const relay = new OutboxRelay(outbox, publisher, new SystemClock(), slowPolling, new OrderWriteGate());
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
      await outbox.markPublished(
        pending.map((entry) => entry.position),
        new Date(),
      );
      expect(await outbox.countUnpublished()).toBe(0);
      const setting = await single.db.execute(sql`SELECT current_setting('synchronous_commit') AS value`);
      expect((setting as { rows: { value: string }[] }).rows).toEqual([{ value: 'on' }]);
    } finally {
      if (single !== database.handle) await single.close();
    }
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
