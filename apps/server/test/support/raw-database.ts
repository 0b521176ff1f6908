import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import type { DatabaseMode } from './test-app.js';

const MIGRATIONS = fileURLToPath(new URL('../../migrations', import.meta.url));

/** Where an app's data lives between restarts: a DATA_DIR (PGlite) or a PostgreSQL database. */
export interface DatabaseLocation {
  mode: DatabaseMode;
  dataDir: string;
  url: string | undefined;
}

export type Query = (text: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

/**
 * Plain SQL on the database behind the app's back (for PGlite the app must be closed): what an attacker with the
 * raw table, a backup or the disk would see. `migrateUpTo` first applies the migrations up to that tag only, to
 * recreate a database written by an earlier version.
 */
export async function withRawDatabase<T>(
  location: DatabaseLocation,
  run: (query: Query) => Promise<T>,
  migrateUpTo?: string,
): Promise<T> {
  const folder = migrateUpTo === undefined ? undefined : await migrationsUpTo(migrateUpTo);
  try {
    if (location.mode === 'pglite') {
      const client = new PGlite(path.join(location.dataDir, 'pgdata'));
      try {
        if (folder !== undefined) await migratePglite(drizzlePglite({ client }), { migrationsFolder: folder });
        return await run(async (text, params) => (await client.query<Record<string, unknown>>(text, params)).rows);
      } finally {
        await client.close();
      }
    }
    const client = new pg.Client({ connectionString: location.url });
    await client.connect();
    try {
      if (folder !== undefined) await migratePg(drizzlePg({ client }), { migrationsFolder: folder });
      return await run(async (text, params) => (await client.query<Record<string, unknown>>(text, params)).rows);
    } finally {
      await client.end();
    }
  } finally {
    if (folder !== undefined) await rm(folder, { recursive: true, force: true });
  }
}

/** A copy of the migrations folder whose journal ends at `tag`. */
async function migrationsUpTo(tag: string): Promise<string> {
  const journal = JSON.parse(await readFile(path.join(MIGRATIONS, 'meta/_journal.json'), 'utf8')) as {
    entries: { tag: string }[];
  };
  const end = journal.entries.findIndex((entry) => entry.tag === tag);
  if (end < 0) throw new Error(`no migration ${tag}`);
  const folder = await mkdtemp(path.join(os.tmpdir(), 'ordertrack-migrations-'));
  await mkdir(path.join(folder, 'meta'));
  const entries = journal.entries.slice(0, end + 1);
  await writeFile(path.join(folder, 'meta/_journal.json'), JSON.stringify({ ...journal, entries }));
  for (const entry of entries)
    await copyFile(path.join(MIGRATIONS, `${entry.tag}.sql`), path.join(folder, `${entry.tag}.sql`));
  return folder;
}
