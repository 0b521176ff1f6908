import { Client, type ClientOptions } from '@elastic/elasticsearch';
import type { DependencyProbe } from '../../../application/ports/dependency-probe.port.js';
import type { ElasticsearchConnection } from './es-connection.js';

/** Bounded waits: a stuck cluster must fail the request (and let the bus retry) rather than hang a consumer. */
const REQUEST_TIMEOUT_MS = 30_000;
const MAX_RETRIES = 3;

/** Client options for a connection; an https URL is verified against `ca` (or the system CAs) and the host name. */
export function elasticsearchClientOptions({ url, ca, auth }: ElasticsearchConnection): ClientOptions {
  return {
    node: url,
    ...(ca === undefined ? {} : { tls: { ca, rejectUnauthorized: true } }),
    ...(auth === undefined ? {} : { auth }),
  };
}

export function createEsClient(connection: ElasticsearchConnection): Client {
  return new Client({
    ...elasticsearchClientOptions(connection),
    requestTimeout: REQUEST_TIMEOUT_MS,
    maxRetries: MAX_RETRIES,
  });
}

/** Readiness: the cluster answers and has every primary shard (red means some searches or writes fail). */
export function elasticsearchProbe(client: Client): DependencyProbe {
  return {
    name: 'search',
    adapter: 'elasticsearch',
    async check() {
      const health = await client.cluster.health({ timeout: '2s' });
      if (health.status === 'red') throw new Error(`cluster ${health.cluster_name} is red`);
    },
  };
}
