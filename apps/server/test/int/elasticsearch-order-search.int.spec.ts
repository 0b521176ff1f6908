import { orderCreatedAtLookup } from '../../src/adapters/db/order-created-at-lookup.js';
import { ElasticsearchIndexer } from '../../src/adapters/search/elasticsearch/elasticsearch-indexer.js';
import { ElasticsearchOrderSearch } from '../../src/adapters/search/elasticsearch/elasticsearch-order-search.js';
import { orderSearchContract } from '../contracts/order-search.contract.js';
import { openTestIndices } from '../support/elasticsearch.js';

/** Small batches, so some batches carry an order's later events without its creation (createdAt from PostgreSQL). */
const BATCH_SIZE = 3;

orderSearchContract('Elasticsearch search fed by the indexer', 'postgres', async (database, events) => {
  const indices = await openTestIndices();
  const indexer = new ElasticsearchIndexer(
    indices.client,
    indices.names,
    indices.maintenance,
    orderCreatedAtLookup(database.handle.db),
    { refresh: 'wait_for' },
  );
  for (let start = 0; start < events.length; start += BATCH_SIZE) {
    await indexer.handle(events.slice(start, start + BATCH_SIZE));
  }
  return { search: new ElasticsearchOrderSearch(indices.client, indices.names), close: () => indices.close() };
});
