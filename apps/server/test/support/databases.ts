import { openEmbeddedDatabase, openPostgresDatabase, type DatabaseHandle } from '../../src/adapters/db/database.js';
import { createFreshDatabase } from './postgres-databases.js';
import type { DatabaseMode } from './test-app.js';

export interface TestDatabase {
  handle: DatabaseHandle;
  /** Set for PostgreSQL, so a test can open extra connections to interleave transactions. */
  url: string | undefined;
  close(): Promise<void>;
}

/** A migrated, empty database of the given kind: in-memory PGlite, or a fresh database on the machine's server. */
export async function openTestDatabase(mode: DatabaseMode): Promise<TestDatabase> {
  if (mode === 'pglite') {
    const handle = await openEmbeddedDatabase(undefined);
    return { handle, url: undefined, close: () => handle.close() };
  }
  const fresh = await createFreshDatabase();
  const handle = await openPostgresDatabase({ url: fresh.url }, 10);
  return {
    handle,
    url: fresh.url,
    async close() {
      await handle.close();
      await fresh.drop();
    },
  };
}
