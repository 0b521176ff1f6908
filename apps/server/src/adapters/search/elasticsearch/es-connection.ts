import type { AppConfig } from '../../../config/app-config.js';

// Kept apart from es-client.ts so that reading the configuration does not load the Elasticsearch client.

/** How to reach Elasticsearch: the node URL, the CA its certificate must be signed by, and credentials. */
export interface ElasticsearchConnection {
  url: string;
  ca?: string;
  auth?: { apiKey: string } | { username: string; password: string };
}

/** The connection ELASTICSEARCH_URL and its CA and credential variables describe; undefined when unset. */
export function elasticsearchConnection({ env, tls }: AppConfig): ElasticsearchConnection | undefined {
  const { ELASTICSEARCH_URL: url, ELASTICSEARCH_API_KEY: apiKey } = env;
  const { ELASTICSEARCH_USERNAME: username, ELASTICSEARCH_PASSWORD: password } = env;
  if (url === undefined) return undefined;
  return {
    url,
    ...(tls.elasticsearchCa === undefined ? {} : { ca: tls.elasticsearchCa }),
    ...(apiKey === undefined ? {} : { auth: { apiKey } }),
    ...(username === undefined || password === undefined ? {} : { auth: { username, password } }),
  };
}
