import { Injectable } from '@nestjs/common';
import type { AuditEvent } from '@ordertrack/shared';
import { and, asc, eq } from 'drizzle-orm';
import { AuditTrail, type AuditEntry } from '../../application/ports/audit-trail.port.js';
import { toAuditEvent, toAuditRow } from './audit-row-mapping.js';
import type { Db } from './database.js';
import { auditEvents } from './schema.js';

@Injectable()
export class DrizzleAuditTrail extends AuditTrail {
  constructor(private readonly db: Db) {
    super();
  }

  async record(entry: AuditEntry): Promise<void> {
    await this.db.insert(auditEvents).values(toAuditRow(entry));
  }

  async forOrder(orderId: string): Promise<AuditEvent[]> {
    const rows = await this.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.subjectType, 'order'), eq(auditEvents.subjectId, orderId)))
      .orderBy(asc(auditEvents.position));
    return rows.map(toAuditEvent);
  }
}
