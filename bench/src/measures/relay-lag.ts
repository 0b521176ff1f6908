import { queryDatabase } from '../support/run-resources.js';

export interface RelayLag {
  events: number;
  p50Ms: number;
  p99Ms: number;
}

/**
 * Outbox relay lag of every event written in a time range, read from the outbox itself: `published_at` is stamped
 * once the broker acknowledged the event (acks=all), `occurred_at` when the use case that wrote it started (before
 * the order's lookup, the wait for a write slot and the statement, so this over-states the lag by those).
 */
export async function measureRelayLag(databaseUrl: string, from: Date, to: Date): Promise<RelayLag> {
  const [row] = await queryDatabase<{ events: string; p50: number | null; p99: number | null }>(
    databaseUrl,
    `SELECT count(*) AS events,
            percentile_cont(0.5) WITHIN GROUP (ORDER BY lag_ms) AS p50,
            percentile_cont(0.99) WITHIN GROUP (ORDER BY lag_ms) AS p99
       FROM (SELECT extract(epoch FROM published_at - occurred_at) * 1000 AS lag_ms
               FROM order_events
              WHERE occurred_at >= $1 AND occurred_at < $2 AND published_at IS NOT NULL) AS lags`,
    [from, to],
  );
  return { events: Number(row?.events ?? 0), p50Ms: row?.p50 ?? 0, p99Ms: row?.p99 ?? 0 };
}
