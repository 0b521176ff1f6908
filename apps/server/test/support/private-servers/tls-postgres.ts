import { execFile } from 'node:child_process';
import { chmod, chown, copyFile, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { pgClientConfig } from '../../../src/adapters/db/postgres-connection.js';
import { freePort } from '../app-process.js';
import type { TestCertificates } from '../tls-fixtures.js';
import { PrivateProcess, type PrivateServer } from './private-process.js';

const run = promisify(execFile);
const PG_BIN = process.env['TEST_POSTGRES_BIN'] ?? '/usr/lib/postgresql/15/bin';

export interface TlsPostgres extends PrivateServer {
  /** Asks for `sslmode=verify-full`, as an operator would; the CA goes in DATABASE_CA_FILE. */
  url: string;
}

/**
 * A PostgreSQL cluster of its own in `dir` that accepts TCP connections over TLS only (`hostssl` is its one
 * pg_hba rule; trust authentication). PostgreSQL refuses to run as root, so as root it runs as the `postgres` user,
 * which then owns `dir`; `dir`'s parent is made traversable (not readable) for it.
 */
export async function startTlsPostgres(dir: string, certs: TestCertificates): Promise<TlsPostgres> {
  await mkdir(dir);
  const certFile = path.join(dir, 'server.crt');
  const keyFile = path.join(dir, 'server.key');
  await copyFile(certs.certFile, certFile);
  await copyFile(certs.keyFile, keyFile);
  // PostgreSQL refuses a key file others can read.
  await chmod(keyFile, 0o600);
  const asUser = await runAsPostgresUser(dir);
  const data = path.join(dir, 'data');
  const initdb = asUser(`${PG_BIN}/initdb`, ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  await run(initdb.command, initdb.args);
  // initdb wrote the file as its user, so rewriting it keeps the owner.
  await writeFile(path.join(data, 'pg_hba.conf'), 'hostssl all all 127.0.0.1/32 trust\n');

  const port = await freePort();
  const settings = {
    port: String(port),
    listen_addresses: '127.0.0.1',
    unix_socket_directories: dir,
    ssl: 'on',
    ssl_cert_file: certFile,
    ssl_key_file: keyFile,
    fsync: 'off',
  };
  const options = Object.entries(settings).flatMap(([name, value]) => ['-c', `${name}=${value}`]);
  const postgres = asUser(`${PG_BIN}/postgres`, ['-D', data, ...options]);
  const server = PrivateProcess.spawn('PostgreSQL', postgres.command, postgres.args);
  const url = `postgres://postgres@127.0.0.1:${port}/postgres?sslmode=verify-full`;
  await server.waitUntilReady(() => answers({ url, ca: certs.ca }), 30_000);
  return { process: server, url };
}

async function answers(connection: { url: string; ca: string }): Promise<boolean> {
  const client = new pg.Client(pgClientConfig(connection));
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('SELECT 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => undefined);
  }
}

type Command = (command: string, args: string[]) => { command: string; args: string[] };

/** Runs commands as we are, or, when we are root, as the `postgres` user after handing it `dir`. */
async function runAsPostgresUser(dir: string): Promise<Command> {
  if (process.getuid?.() !== 0) return (command, args) => ({ command, args });
  const { uid, gid } = await postgresUser();
  await chmod(path.dirname(dir), 0o711);
  for (const file of ['', 'server.crt', 'server.key']) await chown(path.join(dir, file), uid, gid);
  return (command, args) => ({
    command: 'setpriv',
    args: [`--reuid=${uid}`, `--regid=${gid}`, '--clear-groups', '--', command, ...args],
  });
}

async function postgresUser(): Promise<{ uid: number; gid: number }> {
  const id = async (flag: string): Promise<number> => Number((await run('id', [flag, 'postgres'])).stdout.trim());
  return { uid: await id('-u'), gid: await id('-g') };
}
