import { Injectable } from '@nestjs/common';
import { asc, count, isNull, sql } from 'drizzle-orm';
import { OutboxStore, type OutboxEntry } from '../../outbox/outbox-store.port.js';
import type { DatabaseHandle, Db } from './database.js';
import { toLifecycleEvent } from './row-mapping.js';
import { ASYNCHRONOUS_COMMIT } from './asynchronous-commit.js';
import { PLANNED_EACH_TIME } from './planned-each-time.js';
import { orderEvents } from './schema.js';
import { unpublishedFromOldest } from './unpublished-rows.js';
import { marksTable, publishedMarks } from './published-marks.js';
import type { PublishedBatch } from '../../outbox/relay-loop.js';

/**
 * The relay's statements, built once: a relay step runs them, and building them with drizzle on every step cost more
 * CPU than the rows they return. The mark and the fetch are two statements because they need different plans: the
 * mark is planned on every execution (see PLANNED_EACH_TIME); the fetch is named, and starting from the oldest
 * unpublished row keeps it cheap under whichever plan it gets (see unpublishedFromOldest).
 */
function relayStatements(db: Db) {
  return {
    mark: db
      .update(orderEvents)
      .set({ publishedAt: sql`marks.marked_at` })
      .from(sql`${ASYNCHRONOUS_COMMIT}, ${marksTable(sql.placeholder('positions'), sql.placeholder('times'))}`)
      .where(sql`${orderEvents.position} = marks.marked_position`)
      .prepare(PLANNED_EACH_TIME),
    unpublished: db
      .select()
      .from(orderEvents)
      .where(unpublishedFromOldest(orderEvents, orderEvents.position, orderEvents.publishedAt))
      .orderBy(asc(orderEvents.position))
      .limit(sql.placeholder('limit'))
      .prepare('outbox_unpublished'),
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

  async markPublished(batches: readonly PublishedBatch[]): Promise<void> {
    if (batches.every((batch) => batch.positions.length === 0)) return;
    await this.statements.mark.execute(publishedMarks(batches));
  }

  async countUnpublished(): Promise<number> {
    const [row] = await this.database.db
      .select({ n: count() })
      .from(orderEvents)
      .where(isNull(orderEvents.publishedAt));
    return row?.n ?? 0;
  }

  onNewEvents(wake: (writer: string) => void): Promise<() => Promise<void>> {
    return this.database.listenForOutbox(wake);
  }

  isLeader(): Promise<boolean> {
    return this.database.holdsRelayLeadership();
  }
}
