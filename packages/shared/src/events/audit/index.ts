import { z } from 'zod';
import { AuditAction, type AuditEvent } from '../../api/audit.js';
import { Uuid } from '../../common/ids.js';
import { EVENT_CONTENT_TYPE } from '../order-lifecycle/order-lifecycle-event.js';

/**
 * The `audit.events` topic: each record's value is one `AuditEvent` (api/audit.ts) as JSON, the same schema the
 * audit endpoint returns, so consumers validate what they read with it.
 */
export const AUDIT_EVENTS_TOPIC = 'audit.events';

/** Keyed by what the event is about, so one order's or user's audit events stay in order on one partition. */
export function auditEventKey(event: AuditEvent): string {
  return event.subject.id ?? event.id;
}

/** The headers of each audit record, as for lifecycle records: what it is, without parsing its value. */
export const AuditEventHeaders = z
  .strictObject({ eventId: Uuid, type: AuditAction, 'content-type': z.literal(EVENT_CONTENT_TYPE) })
  .meta({ id: 'AuditEventHeaders' });
export type AuditEventHeaders = z.infer<typeof AuditEventHeaders>;

export function auditEventHeaders(event: AuditEvent): AuditEventHeaders {
  return { eventId: event.id, type: event.action, 'content-type': EVENT_CONTENT_TYPE };
}
