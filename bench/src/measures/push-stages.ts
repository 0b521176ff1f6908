import { queryDatabase } from '../support/run-resources.js';
import { stageBreakdown, type StageBreakdown, type UpdateTimes } from '../support/stage-breakdown.js';
import type { LoadWindow, UpdateDriver } from '../support/update-driver.js';

/** The bench's clock (performance.now) as epoch milliseconds, the clock the app stamps the outbox with. */
const epochMs = (performanceMs: number): number => performance.timeOrigin + performanceMs;

/**
 * The stage breakdown of a window's delivered updates (full mode: the outbox is a PostgreSQL table the bench can
 * read). Each update's PATCH sent, answered and received times are the bench's; its outbox row gives the moment the
 * statement ran (`occurred_at`) and the broker acknowledgement (`published_at`).
 */
export async function measurePushStages(
  databaseUrl: string,
  driver: UpdateDriver,
  window: LoadWindow,
): Promise<StageBreakdown> {
  const delivered = [...driver.updates].filter(
    ([, update]) => update.window === window && update.committedAt !== undefined && update.receivedAt !== undefined,
  );
  const orderIds = delivered.map(([key]) => key.slice(0, key.lastIndexOf(':')));
  const versions = delivered.map(([key]) => Number(key.slice(key.lastIndexOf(':') + 1)));
  // extract() returns numeric, which node-postgres hands over as a string.
  const rows = await queryDatabase<{ key: string; stamped: string; acknowledged: string | null }>(
    databaseUrl,
    `SELECT e.order_id || ':' || e.version AS key,
            extract(epoch FROM e.occurred_at) * 1000 AS stamped,
            extract(epoch FROM e.published_at) * 1000 AS acknowledged
       FROM order_events e
       JOIN unnest($1::uuid[], $2::int[]) AS sent(order_id, version)
         ON e.order_id = sent.order_id AND e.version = sent.version`,
    [orderIds, versions],
  );
  const stamps = new Map(rows.map((row) => [row.key, row]));
  const times: UpdateTimes[] = [];
  for (const [key, update] of delivered) {
    const stamp = stamps.get(key);
    if (stamp?.acknowledged == null || update.committedAt === undefined || update.receivedAt === undefined) continue;
    times.push({
      sentAt: epochMs(update.at),
      stampedAt: Number(stamp.stamped),
      answeredAt: epochMs(update.committedAt),
      acknowledgedAt: Number(stamp.acknowledged),
      receivedAt: epochMs(update.receivedAt),
    });
  }
  return stageBreakdown(times);
}
