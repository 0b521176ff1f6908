import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { load } from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config/app-config.js';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

interface ComposeService {
  image?: string;
  ports?: string[];
  environment?: Record<string, string | number | boolean>;
  volumes?: string[];
}

const readYaml = (file: string): unknown => load(readFileSync(path.join(REPO_ROOT, file), 'utf8'));
const compose = readYaml('docker-compose.yml') as { services: Record<string, ComposeService> };
const services = compose.services;

/** `<name>.version` of one of the poms `services/services.mjs` runs the tests' Kafka and Elasticsearch from. */
function testedVersion(pom: string, name: string): string | undefined {
  return new RegExp(`<${name}\\.version>([^<]+)</`).exec(readFileSync(path.join(REPO_ROOT, pom), 'utf8'))?.[1];
}

/**
 * What `docker compose up` starts cannot run here (no Docker engine); what it is given can be checked: the versions
 * the tests ran, a configuration the app accepts, and monitoring pointed at the app.
 */
describe('docker-compose.yml, read without Docker', () => {
  it('runs the Kafka and Elasticsearch versions the tests run', () => {
    const kafka = testedVersion('services/kafka/pom.xml', 'kafka');
    const elasticsearch = testedVersion('services/elasticsearch/pom.xml', 'elasticsearch');
    expect(kafka).toBeDefined();
    expect(elasticsearch).toBeDefined();
    expect(services.kafka?.image).toBe(`apache/kafka:${kafka}`);
    expect(services.elasticsearch?.image).toBe(`docker.elastic.co/elasticsearch/elasticsearch:${elasticsearch}`);
  });

  it("gives the app a configuration it accepts, on every real service, and publishes the app's port", () => {
    const environment = Object.fromEntries(
      Object.entries(services.app?.environment ?? {}).map(([name, value]) => [name, String(value)]),
    );
    const config = loadConfig(environment);
    expect(config.databaseMode).toBe('postgres');
    expect(config.busMode).toBe('kafka');
    const hosts = [
      config.env.DATABASE_URL,
      config.env.REDIS_URL,
      config.env.ELASTICSEARCH_URL,
      ...(config.env.KAFKA_BROKERS ?? []).map((broker) => `kafka://${broker}`),
    ].map((url) => new URL(url ?? 'missing://').hostname);
    expect(hosts.filter((host) => services[host] === undefined)).toEqual([]);
    expect(services.app?.ports).toContain(`${config.env.PORT}:${config.env.PORT}`);
  });

  it('points Prometheus at the app and Grafana at Prometheus, with every mounted file in the repository', () => {
    const prometheus = readYaml('deploy/prometheus/prometheus.yml') as {
      scrape_configs: Array<{ metrics_path: string; static_configs: Array<{ targets: string[] }> }>;
    };
    const targets = prometheus.scrape_configs.flatMap((job) => job.static_configs.flatMap((c) => c.targets));
    expect(targets).toEqual([`app:${loadConfig({}).env.PORT}`]);
    expect(prometheus.scrape_configs[0]?.metrics_path).toBe('/metrics');
    const datasources = readYaml('deploy/grafana/provisioning/datasources/prometheus.yml') as {
      datasources: Array<{ url: string }>;
    };
    expect(datasources.datasources.map(({ url }) => new URL(url).hostname)).toEqual(['prometheus']);
    const mounted = Object.values(services)
      .flatMap((service) => service.volumes ?? [])
      .map((volume) => volume.split(':')[0] ?? '')
      .filter((source) => source.startsWith('./'));
    expect(mounted.length).toBeGreaterThan(0);
    expect(mounted.filter((source) => !existsSync(path.join(REPO_ROOT, source)))).toEqual([]);
  });
});
