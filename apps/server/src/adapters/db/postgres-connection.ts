import type pg from 'pg';
import type { AppConfig } from '../../config/app-config.js';

/** How to reach PostgreSQL: its URL and, with DATABASE_CA_FILE, the CA its certificate must be signed by. */
export interface PostgresConnection {
  url: string;
  ca?: string;
}

export function postgresConnection(config: AppConfig, url: string): PostgresConnection {
  const ca = config.tls.databaseCa;
  return ca === undefined ? { url } : { url, ca };
}

/**
 * node-postgres options for one client or pool. node-postgres lets SSL settings parsed from the URL replace the
 * `ssl` option, so with a CA the URL's `sslmode` (only `verify-full` passes the configuration check) is taken out
 * and the CA handed over as `ssl`: TLS with Node's certificate and host-name verification, never anything weaker
 * (an explicit `rejectUnauthorized` also outlasts NODE_TLS_REJECT_UNAUTHORIZED=0).
 */
export function pgClientConfig({ url, ca }: PostgresConnection): pg.ClientConfig {
  if (ca === undefined) return { connectionString: url };
  const withoutSslMode = new URL(url);
  withoutSslMode.searchParams.delete('sslmode');
  return { connectionString: withoutSslMode.toString(), ssl: { ca, rejectUnauthorized: true } };
}
