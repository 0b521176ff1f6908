import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const SERVER_MAIN = join(REPO_ROOT, 'apps/server/dist/main.js');
const WEB_INDEX = join(REPO_ROOT, 'apps/web/dist/index.html');
const STARTUP_DEADLINE_MS = 120_000;

export const ADMIN = { email: 'admin@example.com', password: 'adminpass123' } as const;

/**
 * `embedded`: PGlite, in-process bus, PostgreSQL search (what `npm start` runs). `full`: the machine's PostgreSQL,
 * Kafka, Elasticsearch and Redis (what `npm test` starts), with a fresh database and prefixes of the run's own.
 */
export type ServerMode = 'embedded' | 'full';

const TEST_POSTGRES_URL = process.env['TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const TEST_KAFKA_BROKERS = process.env['TEST_KAFKA_BROKERS'] ?? '127.0.0.1:9092';
const TEST_ELASTICSEARCH_URL = process.env['TEST_ELASTICSEARCH_URL'] ?? 'http://127.0.0.1:9200';
const TEST_REDIS_URL = process.env['TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

export interface RunningServer {
  baseUrl: string;
  /** Everything the server printed, for failure messages. */
  output: () => string;
  stop: () => Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function waitForHealth(baseUrl: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + STARTUP_DEADLINE_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode} during startup:\n${output()}`);
    const healthy = await fetch(`${baseUrl}/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy) return;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`server not healthy within ${STARTUP_DEADLINE_MS} ms:\n${output()}`);
}

interface ModeEnvironment {
  env: NodeJS.ProcessEnv;
  /** Removes what the mode created outside the data folder (database, indices). */
  cleanUp: () => Promise<void>;
}

const psql = (statement: string) =>
  promisify(execFile)('psql', [TEST_POSTGRES_URL, '-v', 'ON_ERROR_STOP=1', '-qc', statement]);

async function modeEnvironment(mode: ServerMode): Promise<ModeEnvironment> {
  if (mode === 'embedded') return { env: { DATABASE_URL: '' }, cleanUp: () => Promise.resolve() };
  const run = `browser_${randomBytes(4).toString('hex')}`;
  await psql(`CREATE DATABASE ${run}`);
  const databaseUrl = new URL(TEST_POSTGRES_URL);
  databaseUrl.pathname = `/${run}`;
  return {
    env: {
      DATABASE_URL: databaseUrl.toString(),
      JWT_SECRET: randomBytes(48).toString('base64'),
      DATA_ENCRYPTION_KEYS: `k1:${randomBytes(32).toString('base64')}`,
      EMAIL_INDEX_KEY: `i1:${randomBytes(32).toString('base64')}`,
      KAFKA_BROKERS: TEST_KAFKA_BROKERS,
      KAFKA_TOPIC_PREFIX: `${run}.`,
      KAFKA_GROUP_PREFIX: run,
      ELASTICSEARCH_URL: TEST_ELASTICSEARCH_URL,
      ES_INDEX_PREFIX: run,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: run,
    },
    cleanUp: async () => {
      await psql(`DROP DATABASE IF EXISTS ${run} WITH (FORCE)`);
      await fetch(`${TEST_ELASTICSEARCH_URL}/${run}-*`, { method: 'DELETE' });
    },
  };
}

/** Starts the built server (which serves the built web app) on a free port with empty storage in this mode. */
export async function startServer(mode: ServerMode): Promise<RunningServer> {
  for (const required of [SERVER_MAIN, WEB_INDEX]) {
    if (!existsSync(required))
      throw new Error(`${required} is missing: run "npm run build && npm run build:web" first`);
  }
  const port = await freePort();
  const dataDir = await mkdtemp(join(tmpdir(), 'ordertrack-browser-'));
  const modeEnv = await modeEnvironment(mode);
  const baseUrl = `http://127.0.0.1:${port}`;
  let log = '';
  const child = spawn(process.execPath, [SERVER_MAIN], {
    cwd: REPO_ROOT,
    env: {
      ...process.env,
      PORT: String(port),
      HOST: '127.0.0.1',
      DATA_DIR: dataDir,
      ...modeEnv.env,
      BOOTSTRAP_ADMIN_EMAIL: ADMIN.email,
      BOOTSTRAP_ADMIN_PASSWORD: ADMIN.password,
      OUTBOX_POLL_INTERVAL_MS: '200',
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const output = () => log;

  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const forced = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(forced);
    }
    await rm(dataDir, { recursive: true, force: true });
    await modeEnv.cleanUp();
  };

  try {
    await waitForHealth(baseUrl, child, output);
  } catch (error) {
    await stop();
    throw error;
  }
  return { baseUrl, output, stop };
}
