-- What the audit relay's mark costs with each form of the append-only trigger (migration 0003).
-- Rerun: psql -h 127.0.0.1 -U postgres -d postgres -f bench/results/2026-12-07-order-runs/audit-mark-trigger.sql
-- It creates and drops its own database. Each form marks 30 batches of 350 rows (the relay's batch under order
-- load) published, one UPDATE per batch as the relay sends it, and reports the median and quartiles in ms.
DROP DATABASE IF EXISTS audit_mark_trigger;
CREATE DATABASE audit_mark_trigger;
\c audit_mark_trigger
CREATE TABLE audit_events (
  "position" bigserial PRIMARY KEY NOT NULL,
  "id" uuid DEFAULT gen_random_uuid() NOT NULL,
  "occurred_at" timestamp with time zone NOT NULL,
  "action" text NOT NULL,
  "actor_id" uuid,
  "actor_role" text,
  "subject_type" text NOT NULL,
  "subject_id" uuid,
  "details" jsonb NOT NULL,
  "published_at" timestamp with time zone
);
CREATE UNIQUE INDEX ON audit_events ("id");
CREATE INDEX ON audit_events ("subject_type", "subject_id", "position");
CREATE INDEX ON audit_events ("position") WHERE published_at IS NULL;
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'audit_events is append-only: DELETE refused';
  END IF;
  IF (to_jsonb(NEW) - 'published_at') IS DISTINCT FROM (to_jsonb(OLD) - 'published_at') THEN
    RAISE EXCEPTION 'audit_events is append-only: only published_at may be set';
  END IF;
  RETURN NEW;
END
$$;
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

CREATE TRIGGER audit_events_append_only BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
SELECT 'as in 0001_audit (PL/pgSQL for every row)' AS trigger, time_marks(1) AS mark_of_350_rows;
DROP TRIGGER audit_events_append_only ON audit_events;
SELECT 'none (the floor)' AS trigger, time_marks(10501) AS mark_of_350_rows;
CREATE TRIGGER audit_events_only_published_at BEFORE UPDATE ON audit_events FOR EACH ROW
  WHEN ((OLD.position, OLD.id, OLD.occurred_at, OLD.action, OLD.actor_id, OLD.actor_role, OLD.subject_type,
    OLD.subject_id, OLD.details) IS DISTINCT FROM (NEW.position, NEW.id, NEW.occurred_at, NEW.action, NEW.actor_id,
    NEW.actor_role, NEW.subject_type, NEW.subject_id, NEW.details))
  EXECUTE FUNCTION audit_events_append_only();
SELECT 'as in 0003 (WHEN clause, PL/pgSQL only on a refusal)' AS trigger, time_marks(21001) AS mark_of_350_rows;
\c postgres
DROP DATABASE audit_mark_trigger;
