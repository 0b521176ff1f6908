import { asc, count, gt } from 'drizzle-orm';
import type { Db } from '../../db/database.js';
import { toLifecycleEvent } from '../../db/row-mapping.js';
import { orderEvents } from '../../db/schema.js';
import type { ElasticsearchIndexer } from './elasticsearch-indexer.js';

export interface ReindexProgress {
  done: number;
  /** Events in the table when the rebuild started; later ones also reach the index through the bus. */
  total: number;
  elapsedMs: number;
}

/**
 * Replays the whole event table, in position order and in pages, through the same indexer the bus feeds; the
 * indexer is idempotent, so running this next to a live consumer (or twice) is safe.
 */
export async function reindexFromDatabase(
  db: Db,
  indexer: ElasticsearchIndexer,
  pageSize: number,
  onProgress: (progress: ReindexProgress) => void = () => undefined,
): Promise<ReindexProgress> {
  const started = Date.now();
  const [counted] = await db.select({ n: count() }).from(orderEvents);
  const total = counted?.n ?? 0;
  let done = 0;
  let after = 0;
  for (;;) {
    const rows = await db
      .select()
      .from(orderEvents)
      .where(gt(orderEvents.position, after))
      .orderBy(asc(orderEvents.position))
      .limit(pageSize);
    const last = rows.at(-1);
    if (last === undefined) break;
    await indexer.index(rows.map(toLifecycleEvent));
    done += rows.length;
    after = last.position;
    onProgress({ done, total, elapsedMs: Date.now() - started });
  }
  return { done, total, elapsedMs: Date.now() - started };
}
