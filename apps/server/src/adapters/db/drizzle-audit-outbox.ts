import { and, asc, inArray, isNull, notInArray } from 'drizzle-orm';
import { AuditOutbox, type AuditOutboxEntry } from '../../outbox/audit-outbox.port.js';
import { toAuditEvent } from './audit-row-mapping.js';
import type { Db } from './database.js';
import { auditEvents } from './schema.js';

export class DrizzleAuditOutbox extends AuditOutbox {
  constructor(private readonly db: Db) {
    super();
  }

  async fetchUnpublished(limit: number): Promise<AuditOutboxEntry[]> {
    const rows = await this.db
      .select()
      .from(auditEvents)
      .where(isNull(auditEvents.publishedAt))
      .orderBy(asc(auditEvents.position))
      .limit(limit);
    return rows.map((row) => ({ position: row.position, event: toAuditEvent(row) }));
  }

  async markPublishedThenFetch(published: readonly number[], at: Date, limit: number): Promise<AuditOutboxEntry[]> {
    if (published.length === 0) return this.fetchUnpublished(limit);
    const positions = [...published];
    const marked = this.db
      .$with('marked', { position: auditEvents.position })
      .as(
        this.db.update(auditEvents).set({ publishedAt: at }).where(inArray(auditEvents.position, positions)).getSQL(),
      );
    // Both parts read one snapshot: the select still sees the rows just marked as unpublished, hence the exclusion.
    const rows = await this.db
      .with(marked)
      .select()
      .from(auditEvents)
      .where(and(isNull(auditEvents.publishedAt), notInArray(auditEvents.position, positions)))
      .orderBy(asc(auditEvents.position))
      .limit(limit);
    return rows.map((row) => ({ position: row.position, event: toAuditEvent(row) }));
  }

  async markPublished(positions: readonly number[], at: Date): Promise<void> {
    if (positions.length === 0) return;
    // The append-only trigger lets exactly this column change.
    await this.db
      .update(auditEvents)
      .set({ publishedAt: at })
      .where(inArray(auditEvents.position, [...positions]));
  }
}
