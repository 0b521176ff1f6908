import type { BaseOptions } from '@platformatic/kafka';
import type { AppConfig } from '../../../config/app-config.js';

/** What the Kafka adapters need from the configuration, in one value so tests can build it without the env. */
export interface KafkaBusConfig {
  brokers: string[];
  clientId: string;
  partitions: number;
  replicationFactor: number;
  groupPrefix: string;
  /**
   * Prepended to every topic name. Production leaves it empty so the topics are exactly the SDD's names;
   * integration tests set a per-run prefix so a rerun never reads an earlier run's messages.
   */
  topicPrefix: string;
  /** Set = every connection uses TLS and verifies the broker (system CAs, or `ca`); unset = plaintext. */
  tls?: { ca?: string };
}

export function kafkaBusConfig({ env, tls }: AppConfig): KafkaBusConfig | undefined {
  if (env.KAFKA_BROKERS === undefined) return undefined;
  return {
    brokers: env.KAFKA_BROKERS,
    clientId: env.KAFKA_CLIENT_ID,
    partitions: env.KAFKA_TOPIC_PARTITIONS,
    replicationFactor: env.KAFKA_REPLICATION_FACTOR,
    groupPrefix: env.KAFKA_GROUP_PREFIX,
    topicPrefix: env.KAFKA_TOPIC_PREFIX,
    ...(env.KAFKA_TLS ? { tls: tls.kafkaCa === undefined ? {} : { ca: tls.kafkaCa } } : {}),
  };
}

/**
 * Connection settings shared by every client. Short timeouts and few retries make a dead broker surface as a
 * rejected call within seconds, so the outbox relay and the consumer loops do the retrying with their own backoff.
 */
export function kafkaClientOptions(config: KafkaBusConfig, role: string): BaseOptions {
  return {
    clientId: `${config.clientId}-${role}`,
    bootstrapBrokers: config.brokers,
    connectTimeout: 3000,
    timeout: 10_000,
    retries: 3,
    retryDelay: 250,
    // Node verifies the chain and the host name; an explicit `true` also outlasts NODE_TLS_REJECT_UNAUTHORIZED=0.
    ...(config.tls === undefined ? {} : { tls: { ...config.tls, rejectUnauthorized: true } }),
  };
}
