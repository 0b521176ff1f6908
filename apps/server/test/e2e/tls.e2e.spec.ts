import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Admin } from '@platformatic/kafka';
import type { HealthResponse, Order, SearchOrdersResponse } from '@ordertrack/shared';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { kafkaClientOptions } from '../../src/adapters/bus/kafka/kafka-bus-config.js';
import { pgClientConfig } from '../../src/adapters/db/postgres-connection.js';
import { createRedisClient } from '../../src/adapters/redis/redis-connection.js';
import { createEsClient } from '../../src/adapters/search/elasticsearch/es-client.js';
import type { ElasticsearchConnection } from '../../src/adapters/search/elasticsearch/es-connection.js';
import { ApiClient, EventCollector, type Session } from '../support/api-client.js';
import { AppProcess } from '../support/app-process.js';
import { startTlsElasticsearch, type TlsElasticsearch } from '../support/private-servers/tls-elasticsearch.js';
import { startTlsKafka, type TlsKafka } from '../support/private-servers/tls-kafka.js';
import { startTlsPostgres, type TlsPostgres } from '../support/private-servers/tls-postgres.js';
import { startTlsRedis, type TlsRedis } from '../support/private-servers/tls-redis.js';
import { PrivateServers } from '../support/private-servers/private-servers.js';
import { serviceRuntime } from '../support/private-servers/service-runtime.js';
import { TEST_PERSONAL_DATA_ENV } from '../support/personal-data.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD, TEST_JWT_SECRET } from '../support/test-app.js';
import { createTestCertificates, type TestCertificates } from '../support/tls-fixtures.js';
import { waitFor } from '../support/wait-for.js';

const REINDEX = fileURLToPath(new URL('../../dist/cli/reindex.js', import.meta.url));
const MISSING_FILE = '/nonexistent/ordertrack-tls/ca.crt';
const LOG_INDEX_PREFIX = 'ordertrack-logs-tls';

/**
 * Every dependency runs as a private server that speaks TLS only: PostgreSQL accepts `hostssl` connections only,
 * Redis has no plaintext port, Kafka has only SSL listeners and Elasticsearch serves HTTPS only (with a password).
 * So whatever the app gets done below, it got done over TLS, verifying certificates of a CA made in this test.
 */
describe('TLS: HTTPS/WSS app on PostgreSQL, Kafka, Elasticsearch and Redis over TLS', () => {
  const servers = new PrivateServers();
  let root: string;
  let certs: TestCertificates;
  let otherCa: TestCertificates;
  let postgres: TlsPostgres;
  let redis: TlsRedis;
  let kafka: TlsKafka;
  let elasticsearch: TlsElasticsearch;
  let env: Record<string, string>;
  let app: AppProcess;
  let api: ApiClient;

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'ordertrack-tls-'));
    certs = await createTestCertificates(root);
    await mkdir(path.join(root, 'other-ca'));
    otherCa = await createTestCertificates(path.join(root, 'other-ca'));
    const runtime = await serviceRuntime();
    // In parallel: Elasticsearch alone takes 20-60 s to start on two cores.
    [postgres, redis, kafka, elasticsearch] = await Promise.all([
      servers.track(startTlsPostgres(path.join(root, 'postgres'), certs)),
      servers.track(startTlsRedis(path.join(root, 'redis'), certs)),
      servers.track(startTlsKafka(path.join(root, 'kafka'), certs, runtime)),
      servers.track(startTlsElasticsearch(path.join(root, 'elasticsearch'), certs, runtime)),
    ]);
    env = {
      DATA_DIR: path.join(root, 'app-data'),
      JWT_SECRET: TEST_JWT_SECRET,
      ...TEST_PERSONAL_DATA_ENV,
      BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL,
      BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
      OUTBOX_POLL_INTERVAL_MS: '200',
      TLS_CERT_FILE: certs.certFile,
      TLS_KEY_FILE: certs.keyFile,
      DATABASE_URL: postgres.url,
      DATABASE_CA_FILE: certs.caFile,
      KAFKA_BROKERS: kafka.brokers,
      KAFKA_TLS: 'true',
      KAFKA_TLS_CA_FILE: certs.caFile,
      KAFKA_TOPIC_PARTITIONS: '2',
      ELASTICSEARCH_URL: elasticsearch.url,
      ELASTICSEARCH_CA_FILE: certs.caFile,
      ELASTICSEARCH_USERNAME: elasticsearch.username,
      ELASTICSEARCH_PASSWORD: elasticsearch.password,
      LOG_TO_ELASTICSEARCH: 'true',
      LOG_ELASTICSEARCH_INDEX_PREFIX: LOG_INDEX_PREFIX,
      REDIS_URL: redis.url,
      REDIS_CA_FILE: certs.caFile,
    };
    app = await AppProcess.start(env, { ca: certs.ca });
    api = new ApiClient(app.baseUrl, undefined, certs.ca);
  }, 300_000);

  afterAll(async () => {
    await app?.stop();
    await servers.stopAll();
    if (root !== undefined) await rm(root, { recursive: true, force: true });
  }, 120_000);

  it('serves sign-in, pushes over WSS, search and health with every dependency reached over TLS', async () => {
    expect(app.baseUrl).toMatch(/^https:/);
    const admin = await api.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    const customer = await api.register('TLS Customer', `tls-${randomUUID()}@example.com`);
    const socket = await customer.connect();
    try {
      const order = await customer.placeOrder([{ productId: 'ESP-001', qty: 2 }]);
      await admin.setStatus(order.id, 'ACCEPTED');
      // relay → Kafka (TLS) → fan-out consumer → Redis streams adapter (TLS) → this socket (WSS).
      const pushed = await socket.waitForEvent(order.id, 2, 60_000);
      expect(pushed).toMatchObject({ orderId: order.id, status: 'ACCEPTED', type: 'updated' });
      // relay → Kafka (TLS) → indexer consumer → Elasticsearch (HTTPS) → /search/orders.
      const found = await searchUntilIndexed(admin, order);
      expect(found.items.map((item) => [item.id, item.status])).toEqual([[order.id, 'ACCEPTED']]);
    } finally {
      socket.close();
    }

    const health = await api.get<HealthResponse>('/health');
    expect(health.status).toBe(200);
    expect(health.body.dependencies).toEqual({
      database: { status: 'up', adapter: 'postgres' },
      bus: { status: 'up', adapter: 'kafka' },
      search: { status: 'up', adapter: 'elasticsearch' },
      realtime: { status: 'up', adapter: 'redis-streams' },
    });
  });

  it('ships its log lines to the HTTPS Elasticsearch with its credentials', async () => {
    const requestId = `tls-${randomUUID()}`;
    // A 401 logs at warn, which the tests' LOG_LEVEL=warn keeps.
    expect((await api.get(`/orders/${randomUUID()}`, { 'x-request-id': requestId })).status).toBe(401);
    const client = createEsClient(esConnection(certs.ca));
    try {
      const hit = await waitFor(
        'the request log line in Elasticsearch',
        async () => {
          const result = await client.search({
            index: `${LOG_INDEX_PREFIX}-*`,
            query: { term: { 'http.request.id': requestId } },
          });
          return result.hits.hits[0];
        },
        30_000,
      );
      expect(hit._source).toMatchObject({ 'http.response.status_code': 401 });
    } finally {
      await client.close();
    }
  });

  it('rebuilds the indices with the reindex command over TLS', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, [REINDEX], {
      env: { ...process.env, ...env, LOG_LEVEL: 'warn' },
    });
    expect(stdout).toMatch(/^reindex: done, [1-9]\d*\/[1-9]\d* events/m);
  });

  it('refuses clients that do not trust its CA, and plain HTTP', async () => {
    const untrusted = await fetch(`${app.baseUrl}/health`).catch((error: unknown) => error);
    expect(untrusted).toBeInstanceOf(TypeError);
    expect((untrusted as TypeError).cause).toMatchObject({ code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' });
    await expect(new ApiClient(app.baseUrl, undefined, otherCa.ca).get('/health')).rejects.toThrow();
    await expect(EventCollector.connect(app.baseUrl, undefined)).rejects.toThrow();
    await expect(fetch(app.baseUrl.replace('https:', 'http:') + '/health')).rejects.toThrow();
  });

  it("verifies each dependency's certificate against the configured CA: another CA is refused", async () => {
    // The same adapter helpers with the right CA got each server ready above, so a refusal here is the CA's doing
    // (Redis and Kafka report it only as a failed connection).
    const ca = otherCa.ca;
    const db = new pg.Client(pgClientConfig({ url: postgres.url, ca }));
    db.on('error', () => undefined);
    await expect(db.connect()).rejects.toThrow(/unable to verify the first certificate/);
    await db.end().catch(() => undefined);

    const cache = createRedisClient({ url: redis.url, ca }, { lazyConnect: true, retryStrategy: () => null });
    cache.on('error', () => undefined);
    await expect(cache.connect()).rejects.toThrow();
    cache.disconnect();

    const kafkaConfig = {
      brokers: [kafka.brokers],
      clientId: 'tls-test',
      partitions: 1,
      replicationFactor: 1,
      groupPrefix: 'tls-test',
      topicPrefix: '',
      tls: { ca },
    };
    const admin = new Admin({ ...kafkaClientOptions(kafkaConfig, 'admin'), retries: 0 });
    await expect(admin.metadata({ topics: [] })).rejects.toThrow();
    await admin.close();

    const search = createEsClient(esConnection(ca));
    await expect(search.cluster.health()).rejects.toThrow(/unable to verify the first certificate/);
    await search.close();
  });

  it.each(['TLS_CERT_FILE', 'DATABASE_CA_FILE', 'KAFKA_TLS_CA_FILE', 'ELASTICSEARCH_CA_FILE', 'REDIS_CA_FILE'])(
    'refuses to start when %s names a file that does not exist',
    async (variable) => {
      const { code, output } = await AppProcess.runUntilExit({ ...env, [variable]: MISSING_FILE });
      expect(code).toBe(1);
      expect(output).toContain(`${variable}: cannot read ${MISSING_FILE} (ENOENT)`);
    },
  );

  function esConnection(ca: string): ElasticsearchConnection {
    const { username, password } = elasticsearch;
    return { url: elasticsearch.url, ca, auth: { username, password } };
  }
});

/** The indexer is asynchronous: wait until the order's current state is searchable. */
function searchUntilIndexed(admin: Session, order: Order): Promise<SearchOrdersResponse> {
  return waitFor(
    `order ${order.id} in Elasticsearch`,
    async () => {
      const result = await admin.api.get<SearchOrdersResponse>(`/search/orders?orderId=${order.id}`);
      return result.status === 200 && result.body.items[0]?.status === 'ACCEPTED' ? result.body : undefined;
    },
    60_000,
  );
}
