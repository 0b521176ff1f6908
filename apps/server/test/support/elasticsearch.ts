import { randomBytes } from 'node:crypto';
import type { Client } from '@elastic/elasticsearch';
import { createEsClient } from '../../src/adapters/search/elasticsearch/es-client.js';
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
