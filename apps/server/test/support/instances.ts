import { createFreshDatabase, type FreshDatabase } from './postgres-databases.js';
import { startTestApp, type TestApp } from './test-app.js';

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
    await Promise.allSettled(apps.map((app) => app.close()));
    await database.drop();
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
