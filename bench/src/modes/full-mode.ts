import { randomBytes } from 'node:crypto';
import type { KafkaBusConfig } from '../../../apps/server/dist/adapters/bus/kafka/kafka-bus-config.js';
import { esIndexNames } from '../../../apps/server/dist/adapters/search/elasticsearch/es-index-definitions.js';
import type { Baselines } from '../baselines/collect.js';
import { epochMs, measurePushStages } from '../measures/push-stages.js';
import { measureRelayLag } from '../measures/relay-lag.js';
import { measureCommitToSearchable, measureDirectIndexToSearchable } from '../measures/searchable.js';
import { searchQueryKinds, timeApiQuery, timeDirectQuery } from '../measures/search-queries.js';
import { reindexElasticsearch, seedHistory } from '../measures/seed-history.js';
import { AppInstance } from '../support/app-instance.js';
import { ApiClient } from '../support/api-client.js';
import { ModeSession } from '../support/mode-session.js';
import { progress } from '../support/progress.js';
import type { MetricInput } from '../support/report.js';
import type { RunResources } from '../support/run-resources.js';
import type { Scale } from '../support/scale.js';
import { describeStages, stageMetrics } from '../support/stage-breakdown.js';
import { SERVICES } from '../support/services.js';
import { runCommonPhases } from './common-phases.js';

const PUSH_P99_LIMIT_MS = 50;

export function kafkaConfigFor(resources: RunResources): KafkaBusConfig {
  return {
    brokers: SERVICES.kafkaBrokers.split(','),
    clientId: 'ordertrack-bench',
    partitions: 6,
    replicationFactor: 1,
    groupPrefix: resources.kafkaGroupPrefix,
    topicPrefix: resources.kafkaPrefix,
  };
}

/** The full app's settings, without Redis (the search-phase instance runs without it), on this run's own names. */
export function fullModeEnv(resources: RunResources, databaseUrl: string): Record<string, string> {
  return {
    DATABASE_URL: databaseUrl,
    JWT_SECRET: randomBytes(48).toString('base64'),
    DATA_ENCRYPTION_KEYS: `bench:${randomBytes(32).toString('base64')}`,
    EMAIL_INDEX_KEY: `bench-index:${randomBytes(32).toString('base64')}`,
    KAFKA_BROKERS: SERVICES.kafkaBrokers,
    KAFKA_TOPIC_PREFIX: resources.kafkaPrefix,
    KAFKA_GROUP_PREFIX: resources.kafkaGroupPrefix,
    ELASTICSEARCH_URL: SERVICES.elasticsearchUrl,
    ES_INDEX_PREFIX: resources.esPrefix,
  };
}

/** The Redis settings of the full app's instance that holds the sockets. */
export function fullModeRedisEnv(resources: RunResources): Record<string, string> {
  return { REDIS_URL: SERVICES.redisUrl, REDIS_KEY_PREFIX: resources.redisPrefix };
}

/** The SDD pipeline: PostgreSQL, outbox → Kafka, Elasticsearch search and indexer, Socket.IO over Redis. */
export async function runFullMode(scale: Scale, baselines: Baselines, resources: RunResources): Promise<MetricInput[]> {
  const databaseUrl = await resources.createDatabase(resources.appDatabase, false);
  const env = fullModeEnv(resources, databaseUrl);
  progress('full mode: starting the app (PostgreSQL, Kafka, Elasticsearch, Redis)');
  const app = await AppInstance.start({ ...env, ...fullModeRedisEnv(resources) });
  const session = new ModeSession(app);
  const metrics: MetricInput[] = [];
  const names = esIndexNames(resources.esPrefix);
  try {
    await session.prepare(scale);
    const common = await runCommonPhases(
      session,
      scale,
      baselines,
      resources,
      [
        { kind: 'max', of: 'value', limit: PUSH_P99_LIMIT_MS },
        { kind: 'max', of: 'ratio', limit: 2 },
      ],
      baselines.kafka?.produceToConsume,
    );
    metrics.push(...common.metrics);

    const lag = await measureRelayLag(
      databaseUrl,
      new Date(epochMs(common.pushWindow.startedAt)),
      new Date(epochMs(common.pushWindow.endedAt)),
    );
    progress(`relay lag over ${lag.events} events: p50 ${lag.p50Ms.toFixed(1)} ms, p99 ${lag.p99Ms.toFixed(1)} ms`);
    metrics.push({
      id: 'relay.lag.p99',
      label: 'outbox relay lag p99 (write → broker ack)',
      unit: 'ms',
      value: lag.p99Ms,
      ...(baselines.kafka === undefined
        ? {}
        : { baseline: { value: baselines.kafka.produceAck.p99, label: 'Kafka produce → ack p99' } }),
      note: `${lag.events} events of the push-latency phase; p50 ${lag.p50Ms.toFixed(1)} ms`,
    });
    const stages = await measurePushStages(databaseUrl, session.driver, common.pushWindow);
    progress(`push ${describeStages(stages)}`);
    metrics.push(...stageMetrics(stages));

    progress(`commit → searchable: ${scale.searchableSamples} updates`);
    const searchable = await measureCommitToSearchable(
      session,
      SERVICES.elasticsearchUrl,
      names.historyAlias,
      scale.searchableSamples,
    );
    const baselineIndex = `${resources.esPrefix}-baseline`;
    await fetch(`${SERVICES.elasticsearchUrl}/${baselineIndex}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ settings: { number_of_replicas: 0 } }),
    });
    const direct = await measureDirectIndexToSearchable(
      SERVICES.elasticsearchUrl,
      baselineIndex,
      scale.searchableSamples,
    );
    progress(`  p99 ${searchable.p99.toFixed(0)} ms (direct indexing: ${direct.p99.toFixed(0)} ms)`);
    metrics.push({
      id: 'search.commit.to.searchable.p99',
      label: 'commit → searchable in Elasticsearch p99',
      unit: 'ms',
      value: searchable.p99,
      baseline: { value: direct.p99, label: 'index straight into ES' },
      note: `p50 ${searchable.p50.toFixed(0)} ms; baseline p50 ${direct.p50.toFixed(0)} ms`,
    });

    metrics.push(...(await searchPhase(scale, session, env, databaseUrl, resources)));
  } finally {
    await session.close();
  }
  return metrics;
}

async function searchPhase(
  scale: Scale,
  session: ModeSession,
  env: Record<string, string>,
  databaseUrl: string,
  resources: RunResources,
): Promise<MetricInput[]> {
  progress(`search: seeding ${scale.historyEvents.toLocaleString('en-US')} history events with generate_series`);
  await seedHistory(
    databaseUrl,
    session.owners.map((owner) => owner.userId),
    scale.historyEvents,
  );
  progress('search: indexing them with the app’s reindex command');
  await reindexElasticsearch(env);
  progress('search: a second instance answering from PostgreSQL (no relay, no consumers)');
  const postgresApp = await AppInstance.start({
    ...env,
    ELASTICSEARCH_URL: '',
    RELAY_ENABLED: 'false',
    CONSUMERS_ENABLED: 'false',
  });
  const postgresApi = new ApiClient(postgresApp.baseUrl);
  const metrics: MetricInput[] = [];
  try {
    const names = esIndexNames(resources.esPrefix);
    const kinds = searchQueryKinds(new Date());
    const backends = [
      { key: 'es', label: 'Elasticsearch', api: session.api },
      { key: 'pg', label: 'PostgreSQL', api: postgresApi },
    ];
    for (const kind of kinds) {
      const direct = await timeDirectQuery(SERVICES.elasticsearchUrl, names, kind, scale.searchRequests);
      for (const backend of backends) {
        const api = await timeApiQuery(backend.api, session.adminToken, kind, scale.searchRequests);
        progress(
          `  ${kind.name} via ${backend.label}: p50 ${api.p50.toFixed(1)} ms, p99 ${api.p99.toFixed(1)} ms (direct ES p99 ${direct.p99.toFixed(1)} ms)`,
        );
        for (const percentile of ['p50', 'p99'] as const) {
          metrics.push({
            id: `search.${kind.name.replaceAll(' ', '-')}.${backend.key}.${percentile}`,
            label: `${kind.name} ${percentile}, ${backend.label} backend`,
            unit: 'ms',
            value: api[percentile],
            baseline: { value: direct[percentile], label: 'same query straight to ES' },
          });
        }
      }
    }
  } finally {
    await postgresApi.close();
    await postgresApp.stop();
  }
  return metrics;
}
