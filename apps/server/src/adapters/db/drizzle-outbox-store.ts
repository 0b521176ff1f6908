import { Injectable } from '@nestjs/common';
import { and, asc, count, inArray, isNull, notInArray } from 'drizzle-orm';
import { OutboxStore, type OutboxEntry } from '../../outbox/outbox-store.port.js';
import type { DatabaseHandle } from './database.js';
import { toLifecycleEvent } from './row-mapping.js';
import { orderEvents } from './schema.js';

@Injectable()
export class DrizzleOutboxStore extends OutboxStore {
  constructor(private readonly database: DatabaseHandle) {
    super();
  }

  async fetchUnpublished(limit: number): Promise<OutboxEntry[]> {
    const rows = await this.database.db
      .select()
      .from(orderEvents)
      .where(isNull(orderEvents.publishedAt))
      .orderBy(asc(orderEvents.position))
      .limit(limit);
    return rows.map((row) => ({ position: row.position, event: toLifecycleEvent(row) }));
  }

  async markPublishedThenFetch(published: readonly number[], at: Date, limit: number): Promise<OutboxEntry[]> {
    if (published.length === 0) return this.fetchUnpublished(limit);
    const { db } = this.database;
    const positions = [...published];
    const marked = db
      .$with('marked', { position: orderEvents.position })
      .as(db.update(orderEvents).set({ publishedAt: at }).where(inArray(orderEvents.position, positions)).getSQL());
    // Both parts read one snapshot: the select still sees the rows just marked as unpublished, hence the exclusion.
    const rows = await db
      .with(marked)
      .select()
      .from(orderEvents)
      .where(and(isNull(orderEvents.publishedAt), notInArray(orderEvents.position, positions)))
      .orderBy(asc(orderEvents.position))
      .limit(limit);
    return rows.map((row) => ({ position: row.position, event: toLifecycleEvent(row) }));
  }

  async markPublished(positions: readonly number[], at: Date): Promise<void> {
    if (positions.length === 0) return;
    await this.database.db
      .update(orderEvents)
      .set({ publishedAt: at })
      .where(inArray(orderEvents.position, [...positions]));
  }

  async countUnpublished(): Promise<number> {
    const [row] = await this.database.db
      .select({ n: count() })
      .from(orderEvents)
      .where(isNull(orderEvents.publishedAt));
    return row?.n ?? 0;
  }

  onNewEvents(wake: () => void): Promise<() => Promise<void>> {
    return this.database.listenForOutbox(wake);
  }

  isLeader(): Promise<boolean> {
    return this.database.holdsRelayLeadership();
  }
}
