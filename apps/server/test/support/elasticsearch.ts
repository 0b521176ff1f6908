import { randomBytes } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import { createEsClient } from '../../src/adapters/search/elasticsearch/es-client.js';
import type { CurrentOrderDocument, HistoryDocument } from '../../src/adapters/search/elasticsearch/es-documents.js';
import { esIndexNames, type EsIndexNames } from '../../src/adapters/search/elasticsearch/es-index-definitions.js';
import { EsIndexMaintenance } from '../../src/adapters/search/elasticsearch/es-index-maintenance.js';

/** The shared test node: `node /work/main/services/services.mjs start elasticsearch` (CI: `.ci/run`). */
export const TEST_ELASTICSEARCH_URL = process.env['TEST_ELASTICSEARCH_URL'] ?? 'http://127.0.0.1:9200';

export interface TestIndices {
  client: Client;
  names: EsIndexNames;
  prefix: string;
  maintenance: EsIndexMaintenance;
  /** Deletes this prefix's indices and template, then closes the client. */
  close(): Promise<void>;
}

/** A unique index prefix per suite, so suites sharing the one node never see each other's documents. */
export function uniqueIndexPrefix(): string {
  return `ordertrack-t-${randomBytes(5).toString('hex')}`;
}

export async function openTestIndices(prefix = uniqueIndexPrefix()): Promise<TestIndices> {
  const client = createEsClient({ url: TEST_ELASTICSEARCH_URL });
  const names = esIndexNames(prefix);
  const maintenance = new EsIndexMaintenance(client, { names, replicas: 0, historyRetentionMonths: 24 });
  await maintenance.ensureIndices();
  return {
    client,
    names,
    prefix,
    maintenance,
    async close() {
      await maintenance.deleteAll();
      await client.close();
    },
  };
}

export interface IndexedOrder {
  /** The order's current-state document, if indexed. */
  current: CurrentOrderDocument | undefined;
  /** The event id of every history document of the order (one per document, duplicates included). */
  historyEventIds: string[];
}

/** What the indices hold for these orders, read after a refresh so every acknowledged write is visible. */
export async function readIndexedOrders(
  indices: TestIndices,
  orderIds: readonly string[],
): Promise<Map<string, IndexedOrder>> {
  const { client, names } = indices;
  await client.indices.refresh({ index: [names.orders, names.historyAlias] });
  const current = await client.mget<CurrentOrderDocument>({ index: names.orders, ids: [...orderIds] });
  const indexed = new Map<string, IndexedOrder>(
    orderIds.map((id) => [id, { current: undefined, historyEventIds: [] }]),
  );
  for (const doc of current.docs) {
    if ('found' in doc && doc.found && doc._source !== undefined) {
      const entry = indexed.get(doc._id);
      if (entry !== undefined) entry.current = doc._source;
    }
  }
  const history = await client.search<HistoryDocument>({
    index: names.historyAlias,
    query: { terms: { orderId: [...orderIds] } },
    size: 10_000,
  });
  for (const hit of history.hits.hits) {
    if (hit._source !== undefined) indexed.get(hit._source.orderId)?.historyEventIds.push(hit._source.eventId);
  }
  return indexed;
}

/** History documents indexed so far (near real time: without a refresh, up to a second behind). */
export async function countHistoryDocuments(indices: TestIndices): Promise<number> {
  return (await indices.client.count({ index: indices.names.historyAlias })).count;
}
