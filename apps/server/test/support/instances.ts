import { createFreshDatabase, type FreshDatabase } from './postgres-databases.js';
import { startTestApp, type TestApp } from './test-app.js';

const CLOSE_DEADLINE_MS = 30_000;

export interface InstancesOnOneDatabase {
  database: FreshDatabase;
  apps: TestApp[];
  /** Closes every instance, then drops the database; safe to call after a partial failure. */
  close(): Promise<void>;
}

/**
 * A fresh PostgreSQL database and one in-process app per role on it, started one after the other (migrations run
 * once). `shared` goes to every instance, each role's variables to its own (e.g. `RELAY_ENABLED: 'false'`).
 */
export async function startInstancesOnFreshDatabase(
  shared: Record<string, string>,
  roles: readonly Record<string, string>[],
  serverUrl?: string,
): Promise<InstancesOnOneDatabase> {
  const database = await createFreshDatabase(serverUrl);
  const apps: TestApp[] = [];
  const close = async (): Promise<void> => {
    const closed = await Promise.allSettled(apps.map((app, index) => closeWithin(app, index)));
    await database.drop();
    for (const result of closed) if (result.status === 'rejected') throw result.reason;
  };
  try {
    for (const role of roles)
      apps.push(await startTestApp('postgres', { ...shared, DATABASE_URL: database.url, ...role }));
  } catch (error) {
    await close();
    throw error;
  }
  return { database, apps, close };
}

/** An instance that cannot shut down (e.g. a pool waiting for a connection never released) fails clearly. */
async function closeWithin(app: TestApp, index: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`instance ${index} did not close within ${CLOSE_DEADLINE_MS} ms`)),
      CLOSE_DEADLINE_MS,
    );
  });
  try {
    await Promise.race([app.close(), deadline]);
  } finally {
    clearTimeout(timer);
  }
}
