import { mkdir } from 'node:fs/promises';
import { freePort } from '../app-process.js';
import type { TestCertificates } from '../tls-fixtures.js';
import { createRedisClient } from '../../../src/adapters/redis/redis-connection.js';
import { PrivateProcess, type PrivateServer } from './private-process.js';

export interface TlsRedis extends PrivateServer {
  url: string;
}

/** A Redis of its own that listens on a TLS port only (`--port 0`), without persistence. */
export async function startTlsRedis(dir: string, certs: TestCertificates): Promise<TlsRedis> {
  await mkdir(dir);
  const port = await freePort();
  const server = PrivateProcess.spawn(
    'Redis',
    'redis-server',
    [
      ...['--port', '0', '--tls-port', String(port), '--bind', '127.0.0.1', '--dir', dir],
      ...['--tls-cert-file', certs.certFile, '--tls-key-file', certs.keyFile, '--tls-ca-cert-file', certs.caFile],
      // No client certificates: clients authenticate the server, not the other way round.
      ...['--tls-auth-clients', 'no', '--save', '', '--appendonly', 'no'],
    ],
    { cwd: dir },
  );
  const url = `rediss://127.0.0.1:${port}`;
  await server.waitUntilReady(async () => {
    const client = createRedisClient(
      { url, ca: certs.ca },
      { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null },
    );
    client.on('error', () => undefined);
    try {
      await client.connect();
      return (await client.ping()) === 'PONG';
    } catch {
      return false;
    } finally {
      client.disconnect();
    }
  }, 30_000);
  return { process: server, url };
}
