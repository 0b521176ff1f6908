import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Admin } from '@platformatic/kafka';
import { Redis } from 'ioredis';
import pg from 'pg';
import { progress } from './progress.js';

/** Where the machine's services are; every one can be pointed elsewhere, as in the test suites. */
export const SERVICES = {
  postgresUrl: process.env['BENCH_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test',
  kafkaBrokers: process.env['BENCH_KAFKA_BROKERS'] ?? '127.0.0.1:9092',
  elasticsearchUrl: process.env['BENCH_ELASTICSEARCH_URL'] ?? 'http://127.0.0.1:9200',
  redisUrl: process.env['BENCH_REDIS_URL'] ?? 'redis://127.0.0.1:6379',
} as const;

const SERVICES_SCRIPT = fileURLToPath(new URL('../../../services/services.mjs', import.meta.url));

async function reachable(probe: () => Promise<unknown>): Promise<boolean> {
  try {
    await probe();
    return true;
  } catch {
    return false;
  }
}

const probes = {
  postgres: async () => {
    const client = new pg.Client({ connectionString: SERVICES.postgresUrl, connectionTimeoutMillis: 3000 });
    await client.connect();
    await client.end();
  },
  redis: async () => {
    const redis = new Redis(SERVICES.redisUrl, {
      lazyConnect: true,
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    try {
      await redis.connect();
      await redis.ping();
    } finally {
      redis.disconnect();
    }
  },
  kafka: async () => {
    const admin = new Admin({
      clientId: 'ordertrack-bench-probe',
      bootstrapBrokers: SERVICES.kafkaBrokers.split(','),
      retries: 0,
    });
    try {
      await admin.metadata({ topics: [] });
    } finally {
      await admin.close();
    }
  },
  elasticsearch: async () => {
    const response = await fetch(SERVICES.elasticsearchUrl, { signal: AbortSignal.timeout(3000) });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
  },
};

/**
 * PostgreSQL and Redis are the machine's own (the suite never starts or stops them). Kafka and Elasticsearch are
 * started the way `npm test` starts them when they do not answer; if they still do not, the run stops here.
 */
export async function requireServices(needKafkaAndSearch: boolean): Promise<void> {
  const missing: string[] = [];
  if (!(await reachable(probes.postgres))) missing.push(`PostgreSQL at ${SERVICES.postgresUrl}`);
  if (needKafkaAndSearch && !(await reachable(probes.redis))) missing.push(`Redis at ${SERVICES.redisUrl}`);
  if (missing.length > 0) throw new Error(`not reachable: ${missing.join(', ')} (the machine's services; start them)`);
  if (!needKafkaAndSearch) return;
  if (!(await reachable(probes.kafka)) || !(await reachable(probes.elasticsearch))) {
    progress('Kafka or Elasticsearch not answering: node services/services.mjs start');
    const result = spawnSync(process.execPath, [SERVICES_SCRIPT, 'start'], { stdio: 'inherit' });
    if (result.status !== 0) throw new Error('services/services.mjs start failed; see its output above');
  }
  if (!(await reachable(probes.kafka))) throw new Error(`no Kafka broker at ${SERVICES.kafkaBrokers}`);
  if (!(await reachable(probes.elasticsearch))) throw new Error(`no Elasticsearch at ${SERVICES.elasticsearchUrl}`);
}
