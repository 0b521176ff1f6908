import { fileURLToPath } from 'node:url';
import { PRODUCT_CATALOGUE } from '@ordertrack/shared';
import { runToCompletion } from '../support/processes.js';
import { queryDatabase } from '../support/run-resources.js';

const REINDEX = fileURLToPath(new URL('../../../apps/server/dist/cli/reindex.js', import.meta.url));
const STATUSES = ['CREATED', 'ACCEPTED', 'PREPARED', 'SHIPPED', 'DELIVERED'];
/** Orders carry 1 to 5 events (so 3 on average) and every current status; they spread over 60 days. */
const MEAN_EVENTS_PER_ORDER = 3;

/**
 * Writes about `events` lifecycle events in one SQL statement (generate_series), already marked published so the
 * relay leaves them alone, then ANALYZE so the planner knows the new sizes. Returns the order count.
 */
export async function seedHistory(databaseUrl: string, userIds: readonly string[], events: number): Promise<number> {
  const orders = Math.ceil(events / MEAN_EVENTS_PER_ORDER);
  await queryDatabase(
    databaseUrl,
    `WITH seeded AS (
       INSERT INTO orders (id, user_id, status, items, version, created_at, updated_at)
       SELECT gen_random_uuid(),
              ($2::uuid[])[1 + i % cardinality($2::uuid[])],
              ($3::text[])[1 + i % 5],
              jsonb_build_array(jsonb_build_object('productId', ($4::text[])[1 + i % cardinality($4::text[])], 'qty', 1 + i % 3)),
              1 + i % 5,
              created,
              created + (i % 5) * interval '1 hour'
         FROM generate_series(0, $1 - 1) AS i,
              LATERAL (SELECT now() - interval '6 hours' - ((i::bigint * 7919) % 86400) * interval '1 minute' AS created) AS c
       RETURNING id, user_id, items, version, created_at
     )
     INSERT INTO order_events (event_id, order_id, user_id, type, status, version, occurred_at, payload, published_at)
     SELECT gen_random_uuid(), s.id, s.user_id,
            CASE WHEN v = 1 THEN 'created' WHEN v = 5 THEN 'completed' ELSE 'updated' END,
            ($3::text[])[v], v, s.created_at + (v - 1) * interval '1 hour', jsonb_build_object('items', s.items), now()
       FROM seeded AS s, generate_series(1, s.version) AS v`,
    [orders, userIds, STATUSES, PRODUCT_CATALOGUE.map((product) => product.productId)],
  );
  await queryDatabase(databaseUrl, 'ANALYZE');
  return orders;
}

/** The app's own reindex command, with the environment the server runs with. */
export async function reindexElasticsearch(env: Record<string, string>): Promise<void> {
  await runToCompletion(process.execPath, [REINDEX, '--page-size=5000'], env);
}
