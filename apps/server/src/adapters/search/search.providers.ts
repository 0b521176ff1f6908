import type { Provider } from '@nestjs/common';
import type { DependencyProbe } from '../../application/ports/dependency-probe.port.js';
import { OrderSearch } from '../../application/ports/order-search.port.js';
import type { AppConfig } from '../../config/app-config.js';
import type { DatabaseHandle } from '../db/database.js';
import { elasticsearchConnection } from './elasticsearch/es-connection.js';
import { PostgresOrderSearch } from './postgres/postgres-order-search.js';

export interface SearchWiring {
  providers: Provider[];
  /** The `search` entry of /health. */
  probe: DependencyProbe;
}

/**
 * The search backend the configuration selects: PostgreSQL by default, Elasticsearch with ELASTICSEARCH_URL.
 * The Elasticsearch side is imported only when selected: its client costs most of a second to load, which every
 * start of a server that doesn't use it would otherwise pay.
 */
export async function searchProviders(config: AppConfig, database: DatabaseHandle): Promise<SearchWiring> {
  const connection = elasticsearchConnection(config);
  if (connection !== undefined) {
    const { elasticsearchSearchWiring } = await import('./elasticsearch/elasticsearch-search.providers.js');
    return elasticsearchSearchWiring(config, database, connection);
  }
  return {
    providers: [{ provide: OrderSearch, useValue: new PostgresOrderSearch(database.db) }],
    probe: { name: 'search', adapter: 'postgres', check: () => database.ping() },
  };
}
