import { queryDatabase } from '../support/run-resources.js';
import { stageBreakdown, type StageBreakdown, type UpdateTimes } from '../support/stage-breakdown.js';
import { eventKey, type LoadWindow, type UpdateDriver } from '../support/update-driver.js';

/** The bench's clock (performance.now) as epoch milliseconds, the clock the app stamps the outbox with. */
export const epochMs = (performanceMs: number): number => performance.timeOrigin + performanceMs;

/**
 * The stage breakdown of a window's delivered updates (full mode: the outbox is a PostgreSQL table the bench can
 * read). Each update's PATCH sent, answered and received times are the bench's; its outbox row gives the moment the
 * status-change use case started (`occurred_at`) and the broker acknowledgement (`published_at`).
 */
export async function measurePushStages(
  databaseUrl: string,
  driver: UpdateDriver,
  window: LoadWindow,
): Promise<StageBreakdown> {
  const updates = driver.updatesIn(window);
  // extract() returns numeric, which node-postgres hands over as a string.
  const rows = await queryDatabase<{ order_id: string; version: number; stamped: string; acknowledged: string | null }>(
    databaseUrl,
    `SELECT e.order_id, e.version,
            extract(epoch FROM e.occurred_at) * 1000 AS stamped,
            extract(epoch FROM e.published_at) * 1000 AS acknowledged
       FROM order_events e
       JOIN unnest($1::uuid[], $2::int[]) AS sent(order_id, version)
         ON e.order_id = sent.order_id AND e.version = sent.version`,
    [updates.map((update) => update.orderId), updates.map((update) => update.version)],
  );
  const stamps = new Map(rows.map((row) => [eventKey(row.order_id, row.version), row]));
  const times: UpdateTimes[] = [];
  for (const update of updates) {
    const stamp = stamps.get(eventKey(update.orderId, update.version));
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
