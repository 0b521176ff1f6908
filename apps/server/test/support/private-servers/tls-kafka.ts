import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { Admin } from '@platformatic/kafka';
import { freePort } from '../app-process.js';
import type { TestCertificates } from '../tls-fixtures.js';
import { PrivateProcess, type PrivateServer } from './private-process.js';
import type { ServiceRuntime } from './service-runtime.js';

const HEAP = ['-Xms128m', '-Xmx384m'];

export interface TlsKafka extends PrivateServer {
  brokers: string;
}

/**
 * A single-node KRaft broker of its own whose listeners (client and controller) are all SSL, from the jars the
 * shared broker runs (services.mjs). PEM key store and trust store, no client certificates.
 */
export async function startTlsKafka(dir: string, certs: TestCertificates, runtime: ServiceRuntime): Promise<TlsKafka> {
  await mkdir(dir);
  const [port, controllerPort] = [await freePort(), await freePort()];
  const keyStore = path.join(dir, 'keystore.pem');
  await writeFile(keyStore, (await readFile(certs.keyFile, 'utf8')) + (await readFile(certs.certFile, 'utf8')));
  const config = path.join(dir, 'server.properties');
  await writeFile(
    config,
    [
      'process.roles=broker,controller',
      'node.id=1',
      `controller.quorum.voters=1@127.0.0.1:${controllerPort}`,
      `listeners=SSL://127.0.0.1:${port},CONTROLLER://127.0.0.1:${controllerPort}`,
      `advertised.listeners=SSL://127.0.0.1:${port}`,
      'controller.listener.names=CONTROLLER',
      'inter.broker.listener.name=SSL',
      'listener.security.protocol.map=CONTROLLER:SSL,SSL:SSL',
      'ssl.keystore.type=PEM',
      `ssl.keystore.location=${keyStore}`,
      'ssl.truststore.type=PEM',
      `ssl.truststore.location=${certs.caFile}`,
      'ssl.client.auth=none',
      `log.dirs=${path.join(dir, 'data')}`,
      'offsets.topic.replication.factor=1',
      'offsets.topic.num.partitions=1',
      'transaction.state.log.replication.factor=1',
      'transaction.state.log.min.isr=1',
      'transaction.state.log.num.partitions=1',
      'share.coordinator.state.topic.replication.factor=1',
      'share.coordinator.state.topic.min.isr=1',
      'group.initial.rebalance.delay.ms=0',
      'num.network.threads=2',
      'num.io.threads=2',
      '',
    ].join('\n'),
  );
  const log4j = path.join(dir, 'log4j2.properties');
  await writeFile(
    log4j,
    [
      'appender.out.type = Console',
      'appender.out.name = OUT',
      'appender.out.layout.type = PatternLayout',
      'appender.out.layout.pattern = [%d] %p %m (%c)%n',
      'rootLogger.level = WARN',
      'rootLogger.appenderRef.out.ref = OUT',
      '',
    ].join('\n'),
  );
  const java = path.join(runtime.javaHome, 'bin', 'java');
  const jvm = [`-Dlog4j2.configurationFile=${log4j}`, '-cp', runtime.kafkaClasspath];
  await promisify(execFile)(java, [
    '-Xmx256m',
    ...jvm,
    'kafka.tools.StorageTool',
    'format',
    ...['--config', config, '--cluster-id', clusterId()],
  ]);
  const server = PrivateProcess.spawn('Kafka', java, [...HEAP, '-XX:+UseG1GC', ...jvm, 'kafka.Kafka', config], {
    cwd: dir,
  });
  const brokers = `127.0.0.1:${port}`;
  await server.waitUntilReady(async () => {
    const admin = new Admin({
      clientId: 'tls-test-ready',
      bootstrapBrokers: [brokers],
      tls: { ca: certs.ca, rejectUnauthorized: true },
      retries: 0,
      connectTimeout: 2000,
    });
    try {
      const metadata = await admin.metadata({ topics: [] });
      return metadata.brokers.size > 0;
    } catch {
      return false;
    } finally {
      await admin.close().catch(() => undefined);
    }
  }, 120_000);
  return { process: server, brokers };
}

/** Kafka's cluster ids are 16 random bytes in base64url, never starting with "-". */
function clusterId(): string {
  const id = randomBytes(16).toString('base64url');
  return id.startsWith('-') ? `A${id.slice(1)}` : id;
}
