import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createConnection } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './app-process.js';
import { waitFor } from './wait-for.js';

/** Runs a command to its end without blocking the event loop (load keeps running meanwhile); rejects on failure. */
function run(command: string, args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0
        ? resolve(output)
        : reject(new Error(`${command} ${args.join(' ')} failed (${code ?? ''}):\n${output}`)),
    );
  });
}

function acceptsConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/**
 * A Redis of the test's own on a free loopback port, without persistence, so a test can stop it and start it
 * again on the same port; the machine's Redis is never touched.
 */
export class PrivateRedis {
  private child: ChildProcess | undefined;
  private output = '';

  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(): Promise<PrivateRedis> {
    const redis = new PrivateRedis(await freePort(), await mkdtemp(path.join(os.tmpdir(), 'ordertrack-redis-')));
    await redis.resume();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server (again) on its port and resolves once it accepts connections. */
  async resume(): Promise<void> {
    const child = spawn(
      'redis-server',
      ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', this.dir],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    this.child = child;
    await waitFor(
      `private Redis on port ${this.port}`,
      async () => {
        if (child.exitCode !== null) throw new Error(`redis-server exited with ${child.exitCode}:\n${this.output}`);
        return (await acceptsConnections(this.port)) ? true : undefined;
      },
      15_000,
    );
  }

  /** Ends the server abruptly, the way a crash or a lost host would, and resolves once the port is closed. */
  async stop(): Promise<void> {
    const child = this.child;
    this.child = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  async close(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}

const PG_BIN = process.env['TEST_POSTGRES_BIN'] ?? '/usr/lib/postgresql/15/bin';
/** util-linux puts it in /usr/sbin, which a root shell's PATH does not always hold (`su` without `-`, `env -i`). */
const RUNUSER = existsSync('/usr/sbin/runuser') ? '/usr/sbin/runuser' : 'runuser';

/**
 * A PostgreSQL cluster of the test's own (initdb in a temporary directory, trust auth, a free loopback port), so a
 * test can stop and restart it; the machine's server is never touched. PostgreSQL refuses to run as root, so as
 * root (CI) every server command runs as the `postgres` user.
 */
export class PrivatePostgres {
  private constructor(
    readonly port: number,
    private readonly dir: string,
  ) {}

  static async start(): Promise<PrivatePostgres> {
    const dir = (
      await PrivatePostgres.asServerUser('mktemp', ['-d', path.join(os.tmpdir(), 'ordertrack-pg-XXXXXX')])
    ).trim();
    const server = new PrivatePostgres(await freePort(), dir);
    try {
      await PrivatePostgres.asServerUser(`${PG_BIN}/initdb`, [
        '-D',
        server.dataDir,
        '-U',
        'postgres',
        '--auth=trust',
        '--no-sync',
        '--encoding=UTF8',
      ]);
      await server.resume();
    } catch (error) {
      await server.close();
      throw error;
    }
    return server;
  }

  /** The cluster's `postgres` database: where a test creates its own databases. */
  get url(): string {
    return `postgres://postgres@127.0.0.1:${this.port}/postgres`;
  }

  async resume(): Promise<void> {
    await this.pgCtl(['start', '-w', '-t', '30', '-l', path.join(this.dir, 'server.log'), '-o', this.serverOptions]);
  }

  /** Fast shutdown: every session is ended at once (what an operator's restart or a failover does to clients). */
  async stop(): Promise<void> {
    await this.pgCtl(['stop', '-m', 'fast', '-w', '-t', '30']);
  }

  /** Stops the server if it runs and deletes the cluster. */
  async close(): Promise<void> {
    await this.pgCtl(['stop', '-m', 'immediate', '-w', '-t', '30']).catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }

  private get dataDir(): string {
    return path.join(this.dir, 'data');
  }

  private get serverOptions(): string {
    // Unix socket in the cluster's own directory, so it never collides with the machine's server in /var/run.
    return `-p ${this.port} -k ${this.dir} -c listen_addresses=127.0.0.1 -c fsync=off`;
  }

  private pgCtl(args: readonly string[]): Promise<string> {
    return PrivatePostgres.asServerUser(`${PG_BIN}/pg_ctl`, ['-D', this.dataDir, ...args]);
  }

  private static asServerUser(command: string, args: readonly string[]): Promise<string> {
    return process.getuid?.() === 0 ? run(RUNUSER, ['-u', 'postgres', '--', command, ...args]) : run(command, args);
  }
}
