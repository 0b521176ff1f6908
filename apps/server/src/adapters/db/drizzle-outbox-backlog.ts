import { isNull, sql } from 'drizzle-orm';
import type { OutboxBacklogSource } from '../../observability/metrics.js';
import type { Db } from './database.js';
import { orderEvents } from './schema.js';

/**
 * The outbox backlog for the metrics scrape: one indexed query (the partial index on unpublished rows) that
 * measures age with the database's clock, the same clock the events were stamped against in production.
 */
export function outboxBacklogOf(db: Db): OutboxBacklogSource {
  return async () => {
    const [row] = await db
      .select({
        unpublished: sql<number>`count(*)::int`,
        oldestAgeSeconds: sql<number>`coalesce(extract(epoch from now() - min(${orderEvents.occurredAt})), 0)::float8`,
      })
      .from(orderEvents)
      .where(isNull(orderEvents.publishedAt));
    return { unpublished: row?.unpublished ?? 0, oldestAgeSeconds: Math.max(0, row?.oldestAgeSeconds ?? 0) };
  };
}
