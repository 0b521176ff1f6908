import { randomUUID } from 'node:crypto';
import type { OrderLifecycleEvent } from '@ordertrack/shared';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DrizzleOrderStore } from '../../src/adapters/db/drizzle-order-store.js';
import { orderCreatedAtLookup } from '../../src/adapters/db/order-created-at-lookup.js';
import { ElasticsearchIndexer } from '../../src/adapters/search/elasticsearch/elasticsearch-indexer.js';
import { BulkIndexingError } from '../../src/adapters/search/elasticsearch/es-bulk.js';
import type { CurrentOrderDocument, HistoryDocument } from '../../src/adapters/search/elasticsearch/es-documents.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { openTestIndices, type TestIndices } from '../support/elasticsearch.js';
import { changeStatus, insertUser, placeOrder } from '../support/fixtures.js';

describe('Elasticsearch indexer: idempotent and order-insensitive', () => {
  let database: TestDatabase;
  let indices: TestIndices;
  let indexer: ElasticsearchIndexer;
  let store: DrizzleOrderStore;
  let userId: string;

  beforeAll(async () => {
    [database, indices] = await Promise.all([openTestDatabase('postgres'), openTestIndices()]);
    store = new DrizzleOrderStore(database.handle.db);
    userId = await insertUser(database.handle);
    // `true` forces a refresh per bulk: each assertion reads what the previous call wrote, without waiting.
    indexer = new ElasticsearchIndexer(
      indices.client,
      indices.names,
      indices.maintenance,
      orderCreatedAtLookup(database.handle.db),
      { refresh: true },
    );
  });

  afterAll(async () => {
    await indices?.close();
    await database?.close();
  });

  /** An order taken to version 3 in PostgreSQL; returns its three events in version order. */
  async function orderWithThreeVersions(): Promise<[OrderLifecycleEvent, OrderLifecycleEvent, OrderLifecycleEvent]> {
    const orderId = await placeOrder(
      store,
      userId,
      [{ productId: 'ESP-001', qty: 1 }],
      new Date('2026-02-01T10:00:00Z'),
    );
    await changeStatus(store, orderId, 'ACCEPTED', new Date('2026-02-01T10:05:00Z'));
    await changeStatus(store, orderId, 'PREPARED', new Date('2026-03-01T11:00:00Z'));
    const [v1, v2, v3] = await store.eventsAfter([{ orderId, lastVersion: 0 }]);
    if (v1 === undefined || v2 === undefined || v3 === undefined) throw new Error('fixture expected three events');
    return [v1, v2, v3];
  }

  async function currentDoc(orderId: string): Promise<{ version: number | undefined; doc: CurrentOrderDocument }> {
    const response = await indices.client.get<CurrentOrderDocument>({ index: indices.names.orders, id: orderId });
    if (response._source === undefined) throw new Error(`no current document for ${orderId}`);
    return { version: response._version, doc: response._source };
  }

  async function historyOf(orderId: string): Promise<HistoryDocument[]> {
    const response = await indices.client.search<HistoryDocument>({
      index: indices.names.historyAlias,
      query: { term: { orderId } },
      sort: [{ version: 'asc' }],
      size: 100,
    });
    return response.hits.hits.flatMap((hit) => (hit._source === undefined ? [] : [hit._source]));
  }

  it('keeps the highest version and one history document per event, whatever the delivery order', async () => {
    const [v1, v2, v3] = await orderWithThreeVersions();
    await indexer.handle([v1]);
    await indexer.handle([v3]); // v3 overtakes v2
    expect((await currentDoc(v1.orderId)).doc).toMatchObject({ status: 'PREPARED', version: 3 });

    await indexer.handle([v2]); // the late v2 must not roll the order back
    await indexer.handle([v1, v2, v3]); // a whole redelivery
    await indexer.handle([v2, v2, v1]); // duplicates inside one batch

    const current = await currentDoc(v1.orderId);
    expect(current.version).toBe(3);
    expect(current.doc).toEqual({
      id: v1.orderId,
      userId,
      status: 'PREPARED',
      items: [{ productId: 'ESP-001', qty: 1 }],
      version: 3,
      createdAt: '2026-02-01T10:00:00.000Z',
      updatedAt: '2026-03-01T11:00:00.000Z',
    });
    const history = await historyOf(v1.orderId);
    expect(history.map((doc) => [doc.eventId, doc.version])).toEqual([
      [v1.eventId, 1],
      [v2.eventId, 2],
      [v3.eventId, 3],
    ]);
  });

  it('writes history into the monthly index of each event and reads it through the alias', async () => {
    const [v1, , v3] = await orderWithThreeVersions();
    await indexer.handle([v1, v3]);
    const [february, march] = await Promise.all([
      indices.client.exists({ index: indices.names.historyIndexFor(v1.timestamp), id: v1.eventId }),
      indices.client.exists({ index: indices.names.historyIndexFor(v3.timestamp), id: v3.eventId }),
    ]);
    expect([february, march]).toEqual([true, true]);
    expect(indices.names.historyIndexFor(v3.timestamp)).toBe(`${indices.prefix}-history-2026.03`);
    const alias = await indices.client.indices.getAlias({ name: indices.names.historyAlias });
    expect(Object.keys(alias)).toEqual(
      expect.arrayContaining([`${indices.prefix}-history-2026.02`, `${indices.prefix}-history-2026.03`]),
    );
  });

  it('takes createdAt from PostgreSQL when the batch has no creation event', async () => {
    const [, v2] = await orderWithThreeVersions();
    await indexer.handle([v2]);
    expect((await currentDoc(v2.orderId)).doc).toMatchObject({ version: 2, createdAt: '2026-02-01T10:00:00.000Z' });
  });

  it('fails the batch when the creation time is unknown, so the bus redelivers', async () => {
    const [, v2] = await orderWithThreeVersions();
    const stranger = { ...v2, orderId: randomUUID(), eventId: randomUUID() };
    await expect(indexer.handle([stranger])).rejects.toThrow(/no creation time known/);
  });

  describe('when Elasticsearch rejects an item', () => {
    beforeEach(async () => {
      await indices.client.indices.close({ index: indices.names.orders });
    });

    it('throws instead of logging and moving on, and succeeds once redelivered', async () => {
      const [v1] = await orderWithThreeVersions();
      const failure = await indexer.handle([v1]).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(BulkIndexingError);
      expect((failure as BulkIndexingError).failures).toEqual([
        expect.objectContaining({ action: 'index', index: indices.names.orders, id: v1.orderId }),
      ]);

      await indices.client.indices.open({ index: indices.names.orders, wait_for_active_shards: 1 });
      await indexer.handle([v1]);
      expect((await currentDoc(v1.orderId)).doc).toMatchObject({ version: 1, status: 'CREATED' });
      expect(await historyOf(v1.orderId)).toHaveLength(1);
    });
  });
});
