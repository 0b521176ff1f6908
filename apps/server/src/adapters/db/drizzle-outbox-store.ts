import { Injectable } from '@nestjs/common';
import { and, asc, count, isNull, sql } from 'drizzle-orm';
import { OutboxStore, type OutboxEntry } from '../../outbox/outbox-store.port.js';
import type { DatabaseHandle, Db } from './database.js';
import { toLifecycleEvent } from './row-mapping.js';
import { orderEvents } from './schema.js';

/** A list of positions as one parameter (a PostgreSQL array literal): one statement text for any number of them. */
const positionsParameter = (positions: readonly number[]): string => `{${positions.join(',')}}`;

/**
 * The relay's statements, named and prepared, built once: a relay step runs one of them, and building it with
 * drizzle on every step cost more CPU than the rows it returns.
 */
function relayStatements(db: Db) {
  const published = sql`${sql.placeholder('published')}::bigint[]`;
  const mark = db
    .update(orderEvents)
    .set({ publishedAt: sql`${sql.placeholder('at')}::timestamptz` })
    .where(sql`${orderEvents.position} = ANY(${published})`);
  const marked = db.$with('marked', { position: orderEvents.position }).as(mark.getSQL());
  return {
    mark: mark.prepare('outbox_mark'),
    unpublished: db
      .select()
      .from(orderEvents)
      .where(isNull(orderEvents.publishedAt))
      .orderBy(asc(orderEvents.position))
      .limit(sql.placeholder('limit'))
      .prepare('outbox_unpublished'),
    // Both parts read one snapshot: the select still sees the rows just marked as unpublished, hence the exclusion.
    markThenFetch: db
      .with(marked)
      .select()
      .from(orderEvents)
      .where(and(isNull(orderEvents.publishedAt), sql`${orderEvents.position} <> ALL(${published})`))
      .orderBy(asc(orderEvents.position))
      .limit(sql.placeholder('limit'))
      .prepare('outbox_mark_then_fetch'),
  };
}

@Injectable()
export class DrizzleOutboxStore extends OutboxStore {
  private readonly statements;

  constructor(private readonly database: DatabaseHandle) {
    super();
    this.statements = relayStatements(database.db);
  }

  async fetchUnpublished(limit: number): Promise<OutboxEntry[]> {
    const rows = await this.statements.unpublished.execute({ limit });
    return rows.map((row) => ({ position: row.position, event: toLifecycleEvent(row) }));
  }

  async markPublishedThenFetch(published: readonly number[], at: Date, limit: number): Promise<OutboxEntry[]> {
    if (published.length === 0) return this.fetchUnpublished(limit);
    const rows = await this.statements.markThenFetch.execute({
      published: positionsParameter(published),
      at: at.toISOString(),
      limit,
    });
    return rows.map((row) => ({ position: row.position, event: toLifecycleEvent(row) }));
  }

  async markPublished(positions: readonly number[], at: Date): Promise<void> {
    if (positions.length === 0) return;
    await this.statements.mark.execute({ published: positionsParameter(positions), at: at.toISOString() });
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
