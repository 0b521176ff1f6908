import { openDatabase } from '../app.factory.js';
import { orderCreatedAtLookup } from '../adapters/db/order-created-at-lookup.js';
import { ElasticsearchIndexer } from '../adapters/search/elasticsearch/elasticsearch-indexer.js';
import { createEsClient } from '../adapters/search/elasticsearch/es-client.js';
import { elasticsearchConnection } from '../adapters/search/elasticsearch/es-connection.js';
import { esIndexNames } from '../adapters/search/elasticsearch/es-index-definitions.js';
import { EsIndexMaintenance } from '../adapters/search/elasticsearch/es-index-maintenance.js';
import { reindexFromDatabase, type ReindexProgress } from '../adapters/search/elasticsearch/reindex-from-database.js';
import { ConfigError, loadConfig } from '../config/app-config.js';

export const REINDEX_USAGE = `usage: npm run reindex -- [--recreate] [--page-size=N]
  Rebuilds the Elasticsearch indices from PostgreSQL's order_events, with the server's environment
  (DATABASE_URL or DATA_DIR, ELASTICSEARCH_URL, ES_INDEX_PREFIX, ...).
  --recreate     delete this prefix's indices and template first (after a mapping change)
  --page-size=N  events per bulk request (default 1000)`;

interface ReindexOptions {
  recreate: boolean;
  pageSize: number;
}

function parseArgs(args: readonly string[]): ReindexOptions {
  const options: ReindexOptions = { recreate: false, pageSize: 1000 };
  for (const arg of args) {
    const pageSize = /^--page-size=(\d+)$/.exec(arg)?.[1];
    if (arg === '--recreate') options.recreate = true;
    else if (pageSize !== undefined && Number(pageSize) >= 1 && Number(pageSize) <= 10_000) {
      options.pageSize = Number(pageSize);
    } else throw new ConfigError(`unknown or invalid argument ${arg}\n${REINDEX_USAGE}`);
  }
  return options;
}

export function formatProgress({ done, total, elapsedMs }: ReindexProgress): string {
  const rate = elapsedMs > 0 ? Math.round((done * 1000) / elapsedMs) : done;
  const percent = total > 0 ? ((100 * done) / total).toFixed(1) : '100.0';
  return `reindex: ${done}/${total} events (${percent}%), ${rate} events/s`;
}

/** The `reindex` command; `print` receives each progress line. Resolves with the final progress. */
export async function runReindex(
  env: Record<string, string | undefined>,
  args: readonly string[],
  print: (line: string) => void,
): Promise<ReindexProgress> {
  const options = parseArgs(args);
  const config = loadConfig(env);
  const connection = elasticsearchConnection(config);
  if (connection === undefined) throw new ConfigError('ELASTICSEARCH_URL must be set to reindex');
  const database = await openDatabase(config);
  const client = createEsClient(connection);
  try {
    const names = esIndexNames(config.env.ES_INDEX_PREFIX);
    const maintenance = new EsIndexMaintenance(client, {
      names,
      replicas: config.env.ES_INDEX_REPLICAS,
      historyRetentionMonths: config.env.ES_HISTORY_RETENTION_MONTHS,
    });
    if (options.recreate) {
      print(`reindex: deleting indices ${names.orders}, ${names.historyPattern} and template ${names.historyTemplate}`);
      await maintenance.deleteAll();
    }
    await maintenance.ensureIndices();
    const indexer = new ElasticsearchIndexer(client, names, maintenance, orderCreatedAtLookup(database.db));
    const result = await reindexFromDatabase(database.db, indexer, options.pageSize, (progress) =>
      print(formatProgress(progress)),
    );
    await maintenance.refresh();
    print(
      `reindex: done, ${formatProgress(result).replace('reindex: ', '')} in ${(result.elapsedMs / 1000).toFixed(1)} s`,
    );
    return result;
  } finally {
    await client.close();
    await database.close();
  }
}
