import { sql } from 'drizzle-orm';

/**
 * Joined into a relay's mark (`UPDATE … FROM`), it makes that one statement's commit skip the wait for the WAL
 * flush: `set_config(…, true)` lasts until the end of the statement's own transaction, and the commit reads the
 * setting before it reverts. A mark lost in a crash (the last few hundred milliseconds at most) only means those
 * rows are published again, which every consumer deduplicates; the writes that matter (orders, their events)
 * keep synchronous commits. A one-row subquery, so the join changes no row of the update.
 */
export const ASYNCHRONOUS_COMMIT = sql`(SELECT set_config('synchronous_commit', 'off', true)) AS asynchronous_commit`;
