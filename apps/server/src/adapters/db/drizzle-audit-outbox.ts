import { asc, sql } from 'drizzle-orm';
import { AuditOutbox, type AuditOutboxEntry } from '../../outbox/audit-outbox.port.js';
import { ASYNCHRONOUS_COMMIT } from './asynchronous-commit.js';
import { toAuditEvent } from './audit-row-mapping.js';
import type { Db } from './database.js';
import { auditEvents } from './schema.js';
import { unpublishedFromOldest } from './unpublished-rows.js';
import { marksTable, publishedMarks } from './published-marks.js';
import type { PublishedBatch } from '../../outbox/relay-loop.js';

/** Two statements with opposite plans, like the outbox relay's (see DrizzleOutboxStore): a named fetch, a planned mark. */
export class DrizzleAuditOutbox extends AuditOutbox {
  private readonly unpublished;

  constructor(private readonly db: Db) {
    super();
    this.unpublished = db
      .select()
      .from(auditEvents)
      .where(unpublishedFromOldest(auditEvents, auditEvents.position, auditEvents.publishedAt))
      .orderBy(asc(auditEvents.position))
      .limit(sql.placeholder('limit'))
      .prepare('audit_unpublished');
  }

  async fetchUnpublished(limit: number): Promise<AuditOutboxEntry[]> {
    const rows = await this.unpublished.execute({ limit });
    return rows.map((row) => ({ position: row.position, event: toAuditEvent(row) }));
  }

  async markPublished(batches: readonly PublishedBatch[]): Promise<void> {
    if (batches.every((batch) => batch.positions.length === 0)) return;
    const { positions, times } = publishedMarks(batches);
    // The append-only trigger lets exactly this column change.
    await this.db
      .update(auditEvents)
      .set({ publishedAt: sql`marks.marked_at` })
      .from(sql`${ASYNCHRONOUS_COMMIT}, ${marksTable(positions, times)}`)
      .where(sql`${auditEvents.position} = marks.marked_position`);
  }
}
