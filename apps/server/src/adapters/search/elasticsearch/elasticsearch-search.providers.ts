import { Clock } from '../../../application/ports/clock.port.js';
import { OrderSearch } from '../../../application/ports/order-search.port.js';
import type { AppConfig } from '../../../config/app-config.js';
import type { DatabaseHandle } from '../../db/database.js';
import { orderCreatedAtLookup } from '../../db/order-created-at-lookup.js';
import type { SearchWiring } from '../search.providers.js';
import { ElasticsearchIndexer } from './elasticsearch-indexer.js';
import { ElasticsearchIndexerConsumer } from './elasticsearch-indexer.consumer.js';
import { ElasticsearchOrderSearch } from './elasticsearch-order-search.js';
import { createEsClient, elasticsearchProbe } from './es-client.js';
import type { ElasticsearchConnection } from './es-connection.js';
import { esIndexNames } from './es-index-definitions.js';
import { EsIndexMaintenance } from './es-index-maintenance.js';
import { ElasticsearchLifecycle } from './es-lifecycle.js';

/** Elasticsearch answers searches; the indexer consumer keeps it fed from the bus; the lifecycle keeps indices. */
export function elasticsearchSearchWiring(
  config: AppConfig,
  database: DatabaseHandle,
  connection: ElasticsearchConnection,
): SearchWiring {
  const client = createEsClient(connection);
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
      ...(config.env.CONSUMERS_ENABLED ? [ElasticsearchIndexerConsumer] : []),
    ],
    probe: elasticsearchProbe(client),
  };
}
