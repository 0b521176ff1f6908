import { Client } from '@elastic/elasticsearch';
import type { DependencyProbe } from '../../../application/ports/dependency-probe.port.js';

/** Bounded waits: a stuck cluster must fail the request (and let the bus retry) rather than hang a consumer. */
const REQUEST_TIMEOUT_MS = 30_000;
const MAX_RETRIES = 3;

export function createEsClient(url: string): Client {
  return new Client({ node: url, requestTimeout: REQUEST_TIMEOUT_MS, maxRetries: MAX_RETRIES });
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
