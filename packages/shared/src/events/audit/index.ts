import type { AuditEvent } from '../../api/audit.js';

/**
 * The `audit.events` topic: each record's value is one `AuditEvent` (api/audit.ts) as JSON, the same schema the
 * audit endpoint returns, so consumers validate what they read with it.
 */
export const AUDIT_EVENTS_TOPIC = 'audit.events';

/** Keyed by what the event is about, so one order's or user's audit events stay in order on one partition. */
export function auditEventKey(event: AuditEvent): string {
  return event.subject.id ?? event.id;
}
