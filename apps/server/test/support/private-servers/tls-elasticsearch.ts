import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { copyFile, cp, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { createEsClient } from '../../../src/adapters/search/elasticsearch/es-client.js';
import { freePort } from '../app-process.js';
import type { TestCertificates } from '../tls-fixtures.js';
import { PrivateProcess, type PrivateServer } from './private-process.js';
import type { ServiceRuntime } from './service-runtime.js';

export interface TlsElasticsearch extends PrivateServer {
  url: string;
  username: string;
  password: string;
}

/**
 * A single Elasticsearch node of its own from the distribution the shared node runs (services.mjs), with security
 * on: HTTPS only (PEM certificate and key) and a file-realm superuser made with `elasticsearch-users`, so clients
 * need both the CA and credentials. Its config, data, logs and temp files stay under `dir`.
 */
export async function startTlsElasticsearch(
  dir: string,
  certs: TestCertificates,
  runtime: ServiceRuntime,
): Promise<TlsElasticsearch> {
  const config = path.join(dir, 'config');
  const data = path.join(dir, 'data');
  const logs = path.join(dir, 'logs');
  const tmp = path.join(dir, 'tmp');
  // The distribution's own files (log4j2, realm files), then ours; Elasticsearch reads TLS files from its config dir.
  await cp(path.join(runtime.elasticsearchHome, 'config'), config, { recursive: true });
  await copyFile(certs.caFile, path.join(config, 'ca.crt'));
  await copyFile(certs.certFile, path.join(config, 'server.crt'));
  await copyFile(certs.keyFile, path.join(config, 'server.key'));
  for (const folder of [data, logs, tmp]) await mkdir(folder);
  const port = await freePort();
  await writeFile(
    path.join(config, 'elasticsearch.yml'),
    [
      'cluster.name: ordertrack-tls-test',
      'node.name: tls-node',
      `path.data: ${JSON.stringify(data)}`,
      `path.logs: ${JSON.stringify(logs)}`,
      'network.host: 127.0.0.1',
      `http.port: ${port}`,
      `transport.port: ${await freePort()}`,
      'discovery.type: single-node',
      'xpack.security.enabled: true',
      'xpack.security.http.ssl.enabled: true',
      'xpack.security.http.ssl.certificate: server.crt',
      'xpack.security.http.ssl.key: server.key',
      'xpack.security.http.ssl.certificate_authorities: [ca.crt]',
      // One node, loopback only: no other node ever joins over the transport port.
      'xpack.security.transport.ssl.enabled: false',
      'cluster.routing.allocation.disk.threshold_enabled: false',
      '',
    ].join('\n'),
  );
  await writeFile(
    path.join(config, 'jvm.options'),
    ['-XX:+UseG1GC', '-Djava.io.tmpdir=${ES_TMPDIR}', '-XX:+ExitOnOutOfMemoryError', '-Xlog:disable', ''].join('\n'),
  );
  const env = {
    ...withoutJavaSettings(process.env),
    ES_JAVA_HOME: runtime.javaHome,
    ES_PATH_CONF: config,
    ES_TMPDIR: tmp,
  };
  const username = 'ordertrack';
  const password = randomBytes(12).toString('hex');
  const bin = path.join(runtime.elasticsearchHome, 'bin');
  await promisify(execFile)(
    path.join(bin, 'elasticsearch-users'),
    ['useradd', username, '-p', password, '-r', 'superuser'],
    {
      env: { ...env, ES_JAVA_OPTS: '-Xmx128m' },
    },
  );
  const options = { env: { ...env, ES_JAVA_OPTS: '-Xms512m -Xmx512m' }, cwd: runtime.elasticsearchHome };
  const launcher = path.join(bin, 'elasticsearch');
  const [wrapper, ...wrapperArgs] = runtime.elasticsearchPrefix;
  const server =
    wrapper === undefined
      ? PrivateProcess.spawn('Elasticsearch', 'bash', [launcher], options)
      : PrivateProcess.spawn('Elasticsearch', wrapper, [...wrapperArgs, 'bash', launcher], options);
  const url = `https://127.0.0.1:${port}`;
  const client = createEsClient({ url, ca: certs.ca, auth: { username, password } });
  try {
    await server.waitUntilReady(async () => {
      const health = await client.cluster.health({ timeout: '1s' }).catch(() => undefined);
      return health !== undefined && health.status !== 'red';
    }, 180_000);
  } finally {
    await client.close();
  }
  return { process: server, url, username, password };
}

/** The machine's Java settings would override the distribution's; services.mjs drops them the same way. */
const JAVA_SETTINGS = new Set(['JAVA_TOOL_OPTIONS', '_JAVA_OPTIONS', 'JAVA_OPTS', 'JAVA_HOME', 'ES_HOME']);

function withoutJavaSettings(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([name]) => !JAVA_SETTINGS.has(name)));
}
