-- What the audit relay's mark costs with each form of the append-only trigger (migrations 0001 and 0003).
-- Rerun (the migrations are read relative to this file): psql -h 127.0.0.1 -U postgres -d postgres -f bench/results/2026-12-07-order-runs/audit-mark-trigger.sql
-- It creates and drops its own database. Each form marks 30 batches of 350 rows (the relay's batch under order
-- load) published, one UPDATE per batch as the relay sends it, and reports the median and quartiles in ms.
DROP DATABASE IF EXISTS audit_mark_trigger;
CREATE DATABASE audit_mark_trigger;
\c audit_mark_trigger
-- The table, its indexes and its trigger exactly as the app's migrations create them.
\ir ../../../apps/server/migrations/0001_audit.sql
INSERT INTO audit_events (occurred_at, action, actor_id, actor_role, subject_type, subject_id, details)
SELECT now(), 'order.created', gen_random_uuid(), 'CUSTOMER', 'order', gen_random_uuid(),
  jsonb_build_object('status', 'CREATED', 'items', jsonb_build_array(jsonb_build_object('productId', 'ESP-001', 'qty', 2)))
FROM generate_series(1, 3 * 30 * 350);
VACUUM ANALYZE audit_events;

CREATE FUNCTION time_marks(first_position bigint) RETURNS text LANGUAGE plpgsql AS $$
DECLARE
  started timestamptz;
  took double precision[] := '{}';
BEGIN
  FOR batch IN 0..29 LOOP
    started := clock_timestamp();
    UPDATE audit_events SET published_at = now()
      WHERE position BETWEEN first_position + batch * 350 AND first_position + batch * 350 + 349;
    took := took || extract(epoch FROM clock_timestamp() - started) * 1000;
  END LOOP;
  RETURN format('median %s ms (quartiles %s-%s)',
    round(percentile_cont(0.5) WITHIN GROUP (ORDER BY t)::numeric, 2),
    round(percentile_cont(0.25) WITHIN GROUP (ORDER BY t)::numeric, 2),
    round(percentile_cont(0.75) WITHIN GROUP (ORDER BY t)::numeric, 2))
  FROM unnest(took) AS t;
END
$$;

SELECT 'as in 0001_audit (PL/pgSQL for every row)' AS trigger, time_marks(1) AS mark_of_350_rows;
\ir ../../../apps/server/migrations/0003_audit_append_only_when.sql
SELECT 'as in 0003 (WHEN clause, PL/pgSQL only on a refusal)' AS trigger, time_marks(10501) AS mark_of_350_rows;
DROP TRIGGER audit_events_only_published_at ON audit_events;
SELECT 'none (the floor)' AS trigger, time_marks(21001) AS mark_of_350_rows;
\c postgres
DROP DATABASE audit_mark_trigger;
