import type { AuditEvent } from '@ordertrack/shared';
import type { AuditEntry } from '../../application/ports/audit-trail.port.js';
import type { auditEvents } from './schema.js';

export function toAuditRow(entry: AuditEntry): typeof auditEvents.$inferInsert {
  return {
    occurredAt: entry.occurredAt,
    action: entry.action,
    actorId: entry.actor.userId,
    actorRole: entry.actor.role,
    subjectType: entry.subject.type,
    subjectId: entry.subject.id,
    details: entry.details,
  };
}

export function toAuditEvent(row: typeof auditEvents.$inferSelect): AuditEvent {
  return {
    id: row.id,
    occurredAt: row.occurredAt.toISOString(),
    action: row.action as AuditEvent['action'],
    actor: { userId: row.actorId, role: row.actorRole },
    subject: { type: row.subjectType, id: row.subjectId },
    details: row.details,
  };
}
