import type { HealthResponse, Order, OrderHistoryResponse, OrderStats, SearchOrdersResponse } from '@ordertrack/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CurrentOrderDocument } from '../../src/adapters/search/elasticsearch/es-documents.js';
import { ApiClient, type Session } from '../support/api-client.js';
import {
  openTestIndices,
  TEST_ELASTICSEARCH_URL,
  uniqueIndexPrefix,
  type TestIndices,
} from '../support/elasticsearch.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, startTestApp, type TestApp } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

describe('search served by Elasticsearch, fed through the bus by the indexer consumer', () => {
  const prefix = uniqueIndexPrefix();
  let server: TestApp;
  let admin: Session;
  let alice: Session;
  let indices: TestIndices;

  beforeAll(async () => {
    server = await startTestApp('postgres', { ELASTICSEARCH_URL: TEST_ELASTICSEARCH_URL, ES_INDEX_PREFIX: prefix });
    // The app created the indices at start; this handle reads them directly and deletes them afterwards.
    indices = await openTestIndices(prefix);
    const anonymous = new ApiClient(server.baseUrl);
    admin = await anonymous.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    alice = await anonymous.register('Alice', 'alice@example.com');
  });

  afterAll(async () => {
    await server?.close();
    await indices?.close();
  });

  it('reports the search dependency on the elasticsearch adapter', async () => {
    const health = await new ApiClient(server.baseUrl).get<HealthResponse>('/health');
    expect(health.body.dependencies['search']).toEqual({ status: 'up', adapter: 'elasticsearch' });
    expect(health.body.ready).toBe(true);
  });

  it('finds a placed and updated order, with stats and history, once the indexer has caught up', async () => {
    const hourOf = (timestamp: string): string => `${timestamp.slice(0, 13)}:00:00.000Z`;
    const placed = await alice.placeOrder([{ productId: 'Special_Blend-9', qty: 2 }]);
    const accepted = await admin.setStatus(placed.id, 'ACCEPTED');

    const found = await waitFor('the accepted order in /search/orders', async () => {
      const response = await admin.api.get<SearchOrdersResponse>(`/search/orders?q=blend&status=ACCEPTED`);
      return response.body.items.length === 1 ? response.body : undefined;
    });
    expect(found.total).toBe(1);
    expect(found.items[0]).toEqual<Order>(accepted);

    // The answer came from the index: the current-state document is there at the order's version.
    const document = await indices.client.get<CurrentOrderDocument>({ index: indices.names.orders, id: placed.id });
    expect(document._version).toBe(2);

    // An order's own timeline comes from the database, so it is complete at once, whatever the indexer's lag.
    const history = (await alice.api.get<OrderHistoryResponse>(`/search/orders/${placed.id}/history`)).body.items;
    expect(history.map((event) => [event.version, event.status])).toEqual([
      [1, 'CREATED'],
      [2, 'ACCEPTED'],
    ]);

    // Analytics come from the indices: wait until the history index holds the events. Both share an hour unless
    // the test straddled one; then the earlier hour wins the tie with one event.
    const sameHour = hourOf(placed.updatedAt) === hourOf(accepted.updatedAt);
    const stats = await waitFor('the events counted in the busiest hour', async () => {
      const response = (await admin.api.get<OrderStats>('/search/orders/stats')).body;
      return response.busiestPeriod?.eventCount === (sameHour ? 2 : 1) ? response : undefined;
    });
    expect(stats.statusCounts).toEqual({
      CREATED: 0,
      ACCEPTED: 1,
      PREPARED: 0,
      SHIPPED: 0,
      DELIVERED: 0,
      CANCELED: 0,
    });
    expect(stats.dailyTrend).toEqual([{ date: placed.createdAt.slice(0, 10), count: 1 }]);
    expect(stats.busiestPeriod).toMatchObject({ start: hourOf(placed.updatedAt), eventCount: sameHour ? 2 : 1 });
  });
});
