import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Order, SessionEnded } from '@ordertrack/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedDatabase } from '../../src/adapters/db/database.js';
import { DrizzleOrderStore } from '../../src/adapters/db/drizzle-order-store.js';
import { DrizzleOutboxStore } from '../../src/adapters/db/drizzle-outbox-store.js';
import { ApiClient } from '../support/api-client.js';
import { AppProcess } from '../support/app-process.js';
import { ADMIN_EMAIL, ADMIN_PASSWORD } from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

describe('graceful shutdown', () => {
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'ordertrack-sigterm-'));
  });

  afterAll(() => rm(dataDir, { recursive: true, force: true }));

  it.each(['SIGTERM', 'SIGINT'] as const)(
    'on %s answers in-flight requests, publishes what they committed and tells sockets to reconnect',
    async (signal) => {
      const app = await AppProcess.start({
        DATA_DIR: path.join(dataDir, signal),
        BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL,
        BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
      });
      const customer = await new ApiClient(app.baseUrl).register('Term', `${signal.toLowerCase()}@example.com`);
      const socket = await customer.connect();
      const endings: SessionEnded[] = [];
      socket.socket.on('session.ended', (info) => endings.push(info));

      const inFlight = Array.from({ length: 10 }, (_, i) =>
        customer.api.post<Order>('/orders', { items: [{ productId: `T-${i}`, qty: 1 }] }).catch(() => undefined),
      );
      const exited = new Promise<string>((resolve) =>
        app.child.once('exit', (code, endedBy) => resolve(endedBy ?? `exit ${code ?? ''}`)),
      );
      app.child.kill(signal);
      const answers = await Promise.all(inFlight);
      // Nest re-raises the signal after its shutdown hooks ran, so the process ends by that signal, not by a crash.
      expect(await exited).toBe(signal);

      const acknowledged = answers.filter((answer) => answer !== undefined);
      expect(acknowledged.every((answer) => answer.status === 201 || answer.status === 503)).toBe(true);
      await waitFor('the shutdown notice', () => (endings.length > 0 ? endings : undefined));
      expect(endings).toEqual([{ reason: 'server-shutdown' }]);
      socket.close();

      const database = await openEmbeddedDatabase(path.join(dataDir, signal));
      try {
        const store = new DrizzleOrderStore(database.db);
        for (const answer of acknowledged) {
          if (answer.status === 201) expect(await store.findById(answer.body.id)).not.toBeNull();
        }
        expect(await new DrizzleOutboxStore(database).countUnpublished()).toBe(0);
      } finally {
        await database.close();
      }
    },
  );

  it('leaves SIGUSR2 to Node: with --heapsnapshot-signal it writes a heap snapshot and goes on serving', async () => {
    // Node writes into --diagnostic-dir only if it exists.
    const snapshots = path.join(dataDir, 'snapshots');
    await mkdir(snapshots);
    const app = await AppProcess.start({
      DATA_DIR: path.join(dataDir, 'SIGUSR2'),
      NODE_OPTIONS: `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${snapshots}`,
    });
    try {
      app.child.kill('SIGUSR2');
      // Read until it parses: a file still being written does not. Written in about a second; the deadline stays well
      // inside the test's own 60 s so that a missing snapshot fails with this message, not a bare test timeout.
      const snapshot = await waitFor(
        'a complete heap snapshot',
        async () => {
          const name = (await readdir(snapshots).catch(() => [])).find((file) => file.endsWith('.heapsnapshot'));
          if (name === undefined) return undefined;
          return JSON.parse(await readFile(path.join(snapshots, name), 'utf8')) as Record<string, unknown>;
        },
        20_000,
      );
      expect(Object.keys(snapshot)).toContain('nodes');
      const health = await fetch(`${app.baseUrl}/health`);
      expect(health.status).toBe(200);
      expect(app.child.exitCode).toBeNull();
    } finally {
      await app.stop();
    }
  });
});
