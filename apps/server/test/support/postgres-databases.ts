import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The machine's PostgreSQL; CI and developers both have one on 127.0.0.1:5432 with trust auth. */
export const TEST_POSTGRES_URL = process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';

export interface FreshDatabase {
  url: string;
  drop(): Promise<void>;
}

/**
 * A new empty database per suite, so suites never see each other's rows and can run in any order; on the
 * machine's server unless the URL of another one (e.g. a test's private cluster) is given.
 */
export async function createFreshDatabase(serverUrl = TEST_POSTGRES_URL): Promise<FreshDatabase> {
  const name = `ordertrack_t_${randomBytes(6).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: () => adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

async function adminQuery(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}
