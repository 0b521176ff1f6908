import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DrizzleOrderStore } from '../../src/adapters/db/drizzle-order-store.js';
import { ElasticsearchOrderSearch } from '../../src/adapters/search/elasticsearch/elasticsearch-order-search.js';
import type { HistoryDocument } from '../../src/adapters/search/elasticsearch/es-documents.js';
import { runReindex } from '../../src/cli/reindex-command.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { openTestIndices, TEST_ELASTICSEARCH_URL, type TestIndices } from '../support/elasticsearch.js';
import { changeStatus, insertUser, placeOrder } from '../support/fixtures.js';
import { TEST_PERSONAL_DATA_ENV } from '../support/personal-data.js';
import { TEST_JWT_SECRET } from '../support/test-app.js';

describe('reindex command: rebuilds Elasticsearch from PostgreSQL', () => {
  let database: TestDatabase;
  let indices: TestIndices;
  const orderIds: string[] = [];

  beforeAll(async () => {
    [database, indices] = await Promise.all([openTestDatabase('postgres'), openTestIndices()]);
    const store = new DrizzleOrderStore(database.handle.db);
    const userId = await insertUser(database.handle);
    for (let n = 0; n < 4; n += 1) {
      orderIds.push(
        await placeOrder(
          store,
          userId,
          [{ productId: `RX-${n}`, qty: n + 1 }],
          new Date(`2026-04-0${n + 1}T08:00:00Z`),
        ),
      );
    }
    await changeStatus(store, orderIds[0] ?? '', 'ACCEPTED', new Date('2026-04-05T09:00:00Z'));
    await changeStatus(store, orderIds[0] ?? '', 'CANCELED', new Date('2026-04-05T09:30:00Z'));
  });

  afterAll(async () => {
    await indices?.close();
    await database?.close();
  });

  const env = (): Record<string, string> => ({
    DATABASE_URL: database.url ?? '',
    JWT_SECRET: TEST_JWT_SECRET,
    ...TEST_PERSONAL_DATA_ENV,
    ELASTICSEARCH_URL: TEST_ELASTICSEARCH_URL,
    ES_INDEX_PREFIX: indices.prefix,
    LOG_LEVEL: 'warn',
  });

  it('wipes the indices, replays every event in pages, and search then finds everything', async () => {
    const search = new ElasticsearchOrderSearch(indices.client, indices.names);
    // Something PostgreSQL doesn't know: --recreate must remove it.
    await indices.client.index({
      index: indices.names.orders,
      id: 'stale',
      document: {
        id: 'stale',
        userId: 'nobody',
        status: 'CREATED',
        items: [{ productId: 'OLD-1', qty: 1 }],
        version: 1,
        createdAt: '2026-05-01T00:00:00Z',
        updatedAt: '2026-05-01T00:00:00Z',
      },
      refresh: true,
    });
    expect((await search.search({ page: 1, size: 20 })).total).toBe(1);

    const lines: string[] = [];
    const result = await runReindex(env(), ['--recreate', '--page-size=2'], (line) => lines.push(line));

    expect(result).toMatchObject({ done: 6, total: 6 });
    expect(lines.filter((line) => /^reindex: \d+\/6 events \(/.test(line)).map((line) => line.split(' ')[1])).toEqual([
      '2/6',
      '4/6',
      '6/6',
    ]);
    expect(lines.at(-1)).toMatch(/^reindex: done, 6\/6 events \(100\.0%\), \d+ events\/s in [\d.]+ s$/);

    const found = await search.search({ page: 1, size: 20 });
    expect(found.total).toBe(4);
    expect(new Set(found.items.map((order) => order.id))).toEqual(new Set(orderIds));
    expect(found.items.find((order) => order.id === orderIds[0])).toMatchObject({
      status: 'CANCELED',
      version: 3,
      createdAt: '2026-04-01T08:00:00.000Z',
    });
    expect((await historyDocuments(orderIds[0] ?? '')).map((doc) => doc.status)).toEqual([
      'CREATED',
      'ACCEPTED',
      'CANCELED',
    ]);
  });

  async function historyDocuments(orderId: string): Promise<HistoryDocument[]> {
    await indices.client.indices.refresh({ index: indices.names.historyAlias });
    const response = await indices.client.search<HistoryDocument>({
      index: indices.names.historyAlias,
      query: { term: { orderId } },
      sort: [{ version: { order: 'asc' } }],
    });
    return response.hits.hits.flatMap((hit) => (hit._source === undefined ? [] : [hit._source]));
  }

  it('is safe to run again over existing indices', async () => {
    const result = await runReindex(env(), [], () => undefined);
    expect(result).toMatchObject({ done: 6, total: 6 });
    const search = new ElasticsearchOrderSearch(indices.client, indices.names);
    expect((await search.search({ page: 1, size: 20 })).total).toBe(4);
    expect(await historyDocuments(orderIds[0] ?? '')).toHaveLength(3);
  });

  it('refuses to run without ELASTICSEARCH_URL or with unknown arguments', async () => {
    const withoutElasticsearch: Record<string, string> = { ...env() };
    delete withoutElasticsearch['ELASTICSEARCH_URL'];
    await expect(runReindex(withoutElasticsearch, [], () => undefined)).rejects.toThrow(/ELASTICSEARCH_URL/);
    await expect(runReindex(env(), ['--fast'], () => undefined)).rejects.toThrow(/unknown or invalid argument --fast/);
  });
});
