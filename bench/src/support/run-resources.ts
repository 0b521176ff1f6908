import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Admin } from '@platformatic/kafka';
import { Redis } from 'ioredis';
import pg from 'pg';
import { progress } from './progress.js';
import { SERVICES } from './services.js';

const MIGRATIONS = fileURLToPath(new URL('../../../apps/server/migrations/', import.meta.url));

/**
 * Names of everything this run creates on the shared services, all derived from one random id so that the run
 * never touches anyone else's data, and `cleanUp` deletes exactly what it created.
 */
export class RunResources {
  readonly id: string;
  /** Database the app runs on in full mode. */
  readonly appDatabase: string;
  /** Same schema, no app: what pgbench writes to. */
  readonly rawDatabase: string;
  readonly kafkaPrefix: string;
  readonly kafkaGroupPrefix: string;
  readonly esPrefix: string;
  readonly redisPrefix: string;
  /** Resources of a phase with names of its own (the services' warm-up), deleted with this run's if not before. */
  private readonly children = new Set<RunResources>();
  private parent: RunResources | undefined;
  private readonly databases = new Set<string>();
  private readonly directories = new Set<string>();

  constructor(id = randomBytes(4).toString('hex')) {
    this.id = id;
    this.appDatabase = `ordertrack_bench_${id}`;
    this.rawDatabase = `ordertrack_bench_${id}_raw`;
    this.kafkaPrefix = `bench-${id}.`;
    this.kafkaGroupPrefix = `bench-${id}`;
    this.esPrefix = `ordertrack-bench-${id}`;
    this.redisPrefix = `ordertrack-bench-${id}`;
  }

  /** Names of their own for a phase whose data must not meet the measured phases' (topics, consumer groups). */
  child(suffix: string): RunResources {
    const child = new RunResources(`${this.id}${suffix}`);
    child.parent = this;
    this.children.add(child);
    return child;
  }

  /** A temporary directory (the embedded app's DATA_DIR), deleted with the rest. */
  async tempDirectory(): Promise<string> {
    const directory = await mkdtemp(join(tmpdir(), `ordertrack-bench-${this.id}-`));
    this.directories.add(directory);
    return directory;
  }

  databaseUrl(name: string): string {
    const url = new URL(SERVICES.postgresUrl);
    url.pathname = `/${name}`;
    return url.toString();
  }

  async createDatabase(name: string, withSchema: boolean): Promise<string> {
    await adminQuery(`CREATE DATABASE ${name}`);
    this.databases.add(name);
    const url = this.databaseUrl(name);
    if (withSchema) await applyMigrations(url);
    return url;
  }

  async cleanUp(): Promise<string[]> {
    const problems: string[] = [];
    // A child cleaned by its own phase leaves its parent's list, so the run's cleanup does not repeat it.
    this.parent?.children.delete(this);
    for (const child of [...this.children]) problems.push(...(await child.cleanUp()));
    const attempt = async (what: string, work: () => Promise<unknown>): Promise<void> => {
      try {
        await work();
      } catch (error) {
        problems.push(`${what}: ${String(error)}`);
      }
    };
    for (const name of this.databases) {
      await attempt(`drop database ${name}`, () => adminQuery(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    }
    for (const directory of this.directories) {
      await attempt(`delete ${directory}`, () => rm(directory, { recursive: true, force: true }));
    }
    await attempt('delete Kafka topics', () => this.deleteTopics());
    await attempt('delete Elasticsearch indices', () => this.deleteIndices());
    await attempt('delete Redis keys', () => this.deleteRedisKeys());
    return problems;
  }

  private async deleteTopics(): Promise<void> {
    const admin = new Admin({ clientId: 'ordertrack-bench-admin', bootstrapBrokers: SERVICES.kafkaBrokers.split(',') });
    try {
      const topics = (await admin.listTopics()).filter((topic) => topic.startsWith(this.kafkaPrefix));
      if (topics.length > 0) await admin.deleteTopics({ topics });
    } finally {
      await admin.close();
    }
  }

  private async deleteIndices(): Promise<void> {
    const base = SERVICES.elasticsearchUrl;
    const indices = await fetch(`${base}/${this.esPrefix}*?ignore_unavailable=true&allow_no_indices=true`, {
      method: 'DELETE',
    });
    if (!indices.ok && indices.status !== 404) throw new Error(`DELETE indices: HTTP ${indices.status}`);
    const templates = await fetch(`${base}/_index_template/${this.esPrefix}*`, { method: 'DELETE' });
    if (!templates.ok && templates.status !== 404) throw new Error(`DELETE templates: HTTP ${templates.status}`);
  }

  private async deleteRedisKeys(): Promise<void> {
    const redis = new Redis(SERVICES.redisUrl, { maxRetriesPerRequest: 1 });
    try {
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${this.redisPrefix}*`, 'COUNT', 500);
        if (keys.length > 0) await redis.del(...keys);
        cursor = next;
      } while (cursor !== '0');
    } finally {
      redis.disconnect();
    }
  }
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export function adminQuery(statement: string): Promise<void> {
  return withClient(SERVICES.postgresUrl, async (client) => {
    await client.query(statement);
  });
}

/**
 * Runs a CHECKPOINT before a timed phase that writes to PostgreSQL, baseline and app alike, so that neither measures
 * a checkpoint that the writes of an earlier phase brought on. Without it, both full runs of 2026-12-06 placed their
 * full-mode orders while the server's timed checkpoint (due 5 minutes after the last, with its writes spread over
 * 4.5 minutes) was writing, and a second one, requested by the WAL volume, began: 987 and 990 orders/s, against
 * 1,525-1,792 for the same phase run on its own. Needs a superuser or the pg_checkpoint role; without either, the
 * phase runs as it comes and the run says so.
 */
export async function checkpointBeforePhase(): Promise<void> {
  try {
    await adminQuery('CHECKPOINT');
  } catch (error) {
    progress(`  (no CHECKPOINT before this phase: ${String(error)}; a checkpoint may fall inside it)`);
  }
}

export function queryDatabase<R extends pg.QueryResultRow>(
  url: string,
  statement: string,
  values: unknown[] = [],
): Promise<R[]> {
  return withClient(url, async (client) => (await client.query<R>(statement, values)).rows);
}

/** The app's own migration files, so the raw database has exactly the app's tables, indexes and triggers. */
async function applyMigrations(url: string): Promise<void> {
  const statements = await migrationStatements();
  await withClient(url, async (client) => {
    for (const statement of statements) await client.query(statement);
  });
}

/** Every statement of the app's migrations, in order (drizzle-kit separates them with a breakpoint comment). */
export async function migrationStatements(): Promise<string[]> {
  const files = (await readdir(MIGRATIONS)).filter((file) => file.endsWith('.sql')).sort();
  const statements: string[] = [];
  for (const file of files) {
    const text = await readFile(`${MIGRATIONS}${file}`, 'utf8');
    statements.push(...text.split('--> statement-breakpoint').filter((statement) => statement.trim() !== ''));
  }
  return statements;
}
