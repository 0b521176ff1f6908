-- Hand-written (drizzle-kit does not model triggers): the append-only rule of 0001_audit, checked without running
-- PL/pgSQL for every row the audit relay marks published. The UPDATE trigger now fires only when its WHEN clause,
-- evaluated natively, finds a column other than published_at changed, and then raises as before. Marking 350 rows
-- took 6.9-8.2 ms with the old trigger, 3.9-4.4 ms with this one and 3.6-4.0 ms with none (medians of 30, three
-- runs: bench/results/2026-12-07-order-runs/audit-mark-trigger.sql and .txt). The WHEN clause names the columns:
-- test/int/audit-trail.int.spec.ts changes every column but published_at and expects each change refused, so a
-- column added later and not named here fails that test.
DROP TRIGGER "audit_events_append_only" ON "audit_events";--> statement-breakpoint
CREATE TRIGGER "audit_events_no_delete" BEFORE DELETE ON "audit_events"
  FOR EACH ROW EXECUTE FUNCTION "audit_events_append_only"();--> statement-breakpoint
CREATE TRIGGER "audit_events_only_published_at" BEFORE UPDATE ON "audit_events"
  FOR EACH ROW
  WHEN (
    (OLD."position", OLD."id", OLD."occurred_at", OLD."action", OLD."actor_id", OLD."actor_role", OLD."subject_type",
      OLD."subject_id", OLD."details")
    IS DISTINCT FROM
    (NEW."position", NEW."id", NEW."occurred_at", NEW."action", NEW."actor_id", NEW."actor_role", NEW."subject_type",
      NEW."subject_id", NEW."details")
  )
  EXECUTE FUNCTION "audit_events_append_only"();
