import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { summarize, type LatencySummary } from '../support/histogram.js';
import { runToCompletion } from '../support/processes.js';

const PGBENCH = process.env['BENCH_PGBENCH'] ?? 'pgbench';

/**
 * The SQL the app runs to place one order (see DrizzleOrderStore.create): one statement that inserts the order, its
 * lifecycle event (the outbox row) and its audit entry, atomic without BEGIN/COMMIT. No `pg_notify`: the benchmarked
 * app is one instance whose own relay leads, and such an instance's statements wake nobody (CommittedEntries); with
 * the NOTIFY, PostgreSQL serializes the commits on a database-wide lock and this baseline halves. Ids are
 * derived from one random number per transaction so the statements agree on them. One order per transaction, as
 * the issue defines the baseline; under load the app's statements carry several placements each (group commit, see
 * Coalescer), and the order-creation figure's note says how many.
 */
export const PLACE_ORDER_TRANSACTION = `\\set n random(1, 4611686018427387903)
WITH saved AS (INSERT INTO orders (id, user_id, status, items, version, created_at, updated_at) VALUES (md5('o' || :n)::uuid, :uid::uuid, 'CREATED', '[{"productId":"ESP-001","qty":1},{"productId":"GRN-002","qty":1}]'::jsonb, 1, now(), now())),
history AS (INSERT INTO order_events (event_id, order_id, user_id, type, status, version, occurred_at, payload) VALUES (md5('e' || :n)::uuid, md5('o' || :n)::uuid, :uid::uuid, 'created', 'CREATED', 1, now(), '{"items":[{"productId":"ESP-001","qty":1},{"productId":"GRN-002","qty":1}]}'::jsonb)),
audited AS (INSERT INTO audit_events (occurred_at, action, actor_id, actor_role, subject_type, subject_id, details) VALUES (now(), 'order.created', :uid::uuid, 'CUSTOMER', 'order', md5('o' || :n)::uuid, '{"version":1,"to":"CREATED","itemCount":2}'::jsonb))
SELECT NULL;
`;

export interface PgbenchTarget {
  databaseUrl: string;
  /** An existing user, owner of the orders pgbench writes (foreign key). */
  userId: string;
}

async function withScript<T>(work: (directory: string, script: string) => Promise<T>): Promise<T> {
  const directory = await mkdtemp(join(tmpdir(), 'ordertrack-pgbench-'));
  try {
    const script = join(directory, 'place-order.sql');
    await writeFile(script, PLACE_ORDER_TRANSACTION);
    return await work(directory, script);
  } finally {
    await rm(directory, { recursive: true, force: true });
  }
}

/** Named prepared statements, as the app runs its order writes: parsed once per connection, then bound. */
function commonArgs(target: PgbenchTarget, script: string): string[] {
  return ['-n', '-M', 'prepared', '-f', script, '-D', `uid=${target.userId}`];
}

export interface PgbenchThroughput {
  perSecond: number;
  transactions: number;
}

/** Transactions per second at a fixed number of clients, as fast as PostgreSQL goes. */
export async function pgbenchThroughput(
  target: PgbenchTarget,
  clients: number,
  seconds: number,
): Promise<PgbenchThroughput> {
  return withScript(async (_directory, script) => {
    const output = await runToCompletion(PGBENCH, [
      ...commonArgs(target, script),
      '-c',
      String(clients),
      '-j',
      '2',
      '-T',
      String(seconds),
      target.databaseUrl,
    ]);
    const tps = /^tps = ([\d.]+)/m.exec(output)?.[1];
    const transactions = /^number of transactions actually processed: (\d+)/m.exec(output)?.[1];
    if (tps === undefined || transactions === undefined) throw new Error(`unexpected pgbench output:\n${output}`);
    return { perSecond: Number(tps), transactions: Number(transactions) };
  });
}

/**
 * Commit latency at a steady rate (`-R`, latency counted from the scheduled start like the app's open-loop load),
 * from pgbench's per-transaction log.
 */
export async function pgbenchLatency(
  target: PgbenchTarget,
  rate: number,
  seconds: number,
  clients: number,
): Promise<LatencySummary> {
  return withScript(async (directory, script) => {
    await runToCompletion(PGBENCH, [
      ...commonArgs(target, script),
      '-c',
      String(clients),
      '-j',
      '2',
      '-R',
      String(rate),
      '-T',
      String(seconds),
      '-l',
      `--log-prefix=${join(directory, 'tx')}`,
      target.databaseUrl,
    ]);
    const latencies: number[] = [];
    for (const file of (await readdir(directory)).filter((name) => name.startsWith('tx'))) {
      for (const line of (await readFile(join(directory, file), 'utf8')).split('\n')) {
        // client_id transaction_no time_us script_no epoch epoch_us [lag_us]
        const microseconds = Number(line.split(' ')[2]);
        if (line !== '' && Number.isFinite(microseconds)) latencies.push(microseconds / 1000);
      }
    }
    return summarize(latencies);
  });
}
