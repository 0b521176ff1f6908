import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Order, OrderHistoryResponse, OrderLifecycleEvent, ResumeResult } from '@ordertrack/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openEmbeddedDatabase, openPostgresDatabase, type DatabaseHandle } from '../../src/adapters/db/database.js';
import { DrizzleOutboxStore } from '../../src/adapters/db/drizzle-outbox-store.js';
import { ApiClient, type Session } from '../support/api-client.js';
import { AppProcess } from '../support/app-process.js';
import { TEST_PERSONAL_DATA_ENV } from '../support/personal-data.js';
import { createFreshDatabase, type FreshDatabase } from '../support/postgres-databases.js';
import {
  ADMIN_EMAIL,
  ADMIN_PASSWORD,
  DATABASE_MODES,
  TEST_JWT_SECRET,
  type DatabaseMode,
} from '../support/test-app.js';
import { waitFor } from '../support/wait-for.js';

const WORKERS = 6;
const ACKNOWLEDGED_BEFORE_CRASH = 40;

/** What the clients were told: every order and status change the API answered with a 2xx. */
interface Acknowledged {
  orders: Map<string, number>;
}

describe.each(DATABASE_MODES)('crash and restart with orders in flight, on %s', (mode: DatabaseMode) => {
  let dataDir: string;
  let database: FreshDatabase | undefined;
  let env: Record<string, string>;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'ordertrack-crash-'));
    database = mode === 'postgres' ? await createFreshDatabase() : undefined;
    env = {
      DATA_DIR: dataDir,
      BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL,
      BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
      OUTBOX_POLL_INTERVAL_MS: '100',
      ...(database === undefined
        ? {}
        : { DATABASE_URL: database.url, JWT_SECRET: TEST_JWT_SECRET, ...TEST_PERSONAL_DATA_ENV }),
    };
  });

  afterAll(async () => {
    await database?.drop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps every acknowledged order with all its events, and publishes every event after restart', async () => {
    const first = await AppProcess.start(env);
    const anonymous = new ApiClient(first.baseUrl);
    const customer = await anonymous.register('Crash Test', 'crash@example.com');
    const admin = await anonymous.login(ADMIN_EMAIL, ADMIN_PASSWORD);
    const liveSocket = await admin.connect();
    const acknowledged: Acknowledged = { orders: new Map() };
    let crashed = false;

    const worker = async (): Promise<void> => {
      while (!crashed) {
        try {
          const order = await customer.placeOrder([{ productId: 'ESP-001', qty: 1 }]);
          acknowledged.orders.set(order.id, 1);
          const accepted = await admin.api.patch<Order>(`/orders/${order.id}/status`, { status: 'ACCEPTED' });
          if (accepted.status === 200) acknowledged.orders.set(order.id, accepted.body.version);
        } catch {
          return; // the connection died with the process: that request was never acknowledged
        }
      }
    };
    const load = Array.from({ length: WORKERS }, worker);
    await waitFor(
      'enough acknowledged writes',
      () => (acknowledged.orders.size >= ACKNOWLEDGED_BEFORE_CRASH ? true : undefined),
      60_000,
    );
    crashed = true;
    await first.kill();
    await Promise.all(load);
    const seenBeforeCrash = new Map<string, number>();
    for (const event of liveSocket.events)
      seenBeforeCrash.set(event.orderId, Math.max(seenBeforeCrash.get(event.orderId) ?? 0, event.version));
    liveSocket.close();

    const second = await AppProcess.start(env);
    try {
      const adminAgain = await new ApiClient(second.baseUrl).login(ADMIN_EMAIL, ADMIN_PASSWORD);
      for (const [orderId, version] of acknowledged.orders) {
        const history = await adminAgain.api.get<OrderHistoryResponse>(`/search/orders/${orderId}/history`);
        expect(history.status).toBe(200);
        const versions = history.body.items.map((event) => event.version);
        expect(versions.slice(0, version)).toEqual(Array.from({ length: version }, (_, i) => i + 1));
      }

      // A client that saw part of the stream before the crash gets exactly the rest on resume.
      const socket = await adminAgain.connect();
      const orders = [...acknowledged.orders.keys()].map((orderId) => ({
        orderId,
        lastVersion: seenBeforeCrash.get(orderId) ?? 0,
      }));
      const resumed: ResumeResult = await socket.socket.emitWithAck('orders.resume', { orders });
      socket.close();
      expect(resumed.ok).toBe(true);
      const replayed = resumed.ok ? resumed.events : [];
      for (const [orderId, version] of acknowledged.orders) {
        const before = seenBeforeCrash.get(orderId) ?? 0;
        const after = replayed
          .filter((event: OrderLifecycleEvent) => event.orderId === orderId)
          .map((event) => event.version);
        const all = [...Array.from({ length: before }, (_, i) => i + 1), ...after];
        expect(all.slice(0, version)).toEqual(Array.from({ length: version }, (_, i) => i + 1));
      }
    } finally {
      await second.stop();
    }

    // The relay of the restarted process published everything that was committed but unsent at the crash.
    expect(await countUnpublished(mode, dataDir, database)).toBe(0);
  });

  it('publishes on restart the events committed while no relay was running', async () => {
    const first = await AppProcess.start({ ...env, RELAY_ENABLED: 'false' });
    const customer = await new ApiClient(first.baseUrl).login('crash@example.com', 'password-123');
    const admin = await new ApiClient(first.baseUrl).login(ADMIN_EMAIL, ADMIN_PASSWORD);
    const socket = await admin.connect();
    const order = await customer.placeOrder([{ productId: 'KTL-005', qty: 1 }]);
    await admin.setStatus(order.id, 'ACCEPTED');
    await first.kill();
    socket.close();
    expect(socket.eventsOf(order.id)).toEqual([]);
    expect(await countUnpublished(mode, dataDir, database)).toBeGreaterThanOrEqual(2);

    const second = await AppProcess.start(env);
    try {
      await waitFor(
        'the backlog published',
        async () => ((await countUnpublishedViaServer(second)) === 0 ? true : undefined),
        20_000,
      );
    } finally {
      await second.stop();
    }
    expect(await countUnpublished(mode, dataDir, database)).toBe(0);
  });
});

async function countUnpublished(
  mode: DatabaseMode,
  dataDir: string,
  database: FreshDatabase | undefined,
): Promise<number> {
  // PGlite allows one process per data dir, so the embedded check runs only while no app is up.
  const handle: DatabaseHandle =
    mode === 'pglite' || database === undefined
      ? await openEmbeddedDatabase(dataDir)
      : await openPostgresDatabase({ url: database.url }, 2);
  try {
    return await new DrizzleOutboxStore(handle).countUnpublished();
  } finally {
    await handle.close();
  }
}

/** Readiness includes the outbox backlog, which is how an operator sees the relay catch up. */
async function countUnpublishedViaServer(app: AppProcess): Promise<number> {
  const health = (await (await fetch(`${app.baseUrl}/health`)).json()) as { outbox: { unpublished: number } };
  return health.outbox.unpublished;
}

export type { Session };
