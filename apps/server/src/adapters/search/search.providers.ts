import type { Provider } from '@nestjs/common';
import { Clock } from '../../application/ports/clock.port.js';
import type { DependencyProbe } from '../../application/ports/dependency-probe.port.js';
import { OrderSearch } from '../../application/ports/order-search.port.js';
import type { AppConfig } from '../../config/app-config.js';
import type { DatabaseHandle } from '../db/database.js';
import { orderCreatedAtLookup } from '../db/order-created-at-lookup.js';
import { ElasticsearchIndexer } from './elasticsearch/elasticsearch-indexer.js';
import { ElasticsearchIndexerConsumer } from './elasticsearch/elasticsearch-indexer.consumer.js';
import { ElasticsearchOrderSearch } from './elasticsearch/elasticsearch-order-search.js';
import { createEsClient, elasticsearchProbe } from './elasticsearch/es-client.js';
import { esIndexNames } from './elasticsearch/es-index-definitions.js';
import { EsIndexMaintenance } from './elasticsearch/es-index-maintenance.js';
import { ElasticsearchLifecycle } from './elasticsearch/es-lifecycle.js';
import { PostgresOrderSearch } from './postgres/postgres-order-search.js';

export interface SearchWiring {
  providers: Provider[];
  probe: DependencyProbe;
}

/**
 * The search backend the configuration selects: PostgreSQL by default; with ELASTICSEARCH_URL, Elasticsearch
 * answers searches and an indexer consumer keeps it fed from the bus.
 */
export function searchProviders(config: AppConfig, database: DatabaseHandle): SearchWiring {
  const url = config.env.ELASTICSEARCH_URL;
  if (url === undefined) {
    return {
      providers: [{ provide: OrderSearch, useValue: new PostgresOrderSearch(database.db) }],
      probe: { name: 'search', adapter: 'postgres', check: () => database.ping() },
    };
  }
  const client = createEsClient(url);
  const names = esIndexNames(config.env.ES_INDEX_PREFIX);
  const maintenance = new EsIndexMaintenance(client, {
    names,
    replicas: config.env.ES_INDEX_REPLICAS,
    historyRetentionMonths: config.env.ES_HISTORY_RETENTION_MONTHS,
  });
  return {
    providers: [
      { provide: OrderSearch, useValue: new ElasticsearchOrderSearch(client, names) },
      {
        provide: ElasticsearchIndexer,
        useValue: new ElasticsearchIndexer(client, names, maintenance, orderCreatedAtLookup(database.db)),
      },
      {
        provide: ElasticsearchLifecycle,
        inject: [Clock],
        useFactory: (clock: Clock) => new ElasticsearchLifecycle(client, maintenance, clock),
      },
      ElasticsearchIndexerConsumer,
    ],
    probe: elasticsearchProbe(client),
  };
}
