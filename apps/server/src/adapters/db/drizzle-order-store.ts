import { Injectable } from '@nestjs/common';
import type { OrderLifecycleEvent } from '@ordertrack/shared';
import { and, asc, desc, eq, lt, or, sql } from 'drizzle-orm';
import { orderAuditEntries } from '../../application/audit/order-audit-entries.js';
import type { Actor } from '../../application/actor.js';
import { replayFor } from '../../domain/idempotency/idempotency.js';
import { evolve } from '../../domain/orders/order-decider.js';
import type { OrderState } from '../../domain/orders/order-state.js';
import {
  OrderStore,
  type IdempotencyClaim,
  type OrderChange,
  type OrderCursor,
} from '../../application/ports/order-store.port.js';
import { OUTBOX_CHANNEL, type Db } from './database.js';
import { toAuditRow } from './audit-row-mapping.js';
import { toEventRow, toLifecycleEvent, toOrderRow, toOrderState } from './row-mapping.js';
import { auditEvents, idempotencyKeys, orderEvents, orders } from './schema.js';

type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

@Injectable()
export class DrizzleOrderStore extends OrderStore {
  constructor(private readonly db: Db) {
    super();
  }

  execute(
    orderId: string,
    decide: (state: OrderState | null) => OrderLifecycleEvent[],
    idempotency?: IdempotencyClaim,
    actor?: Actor,
  ): Promise<OrderChange> {
    return this.db.transaction(async (tx) => {
      if (idempotency !== undefined) {
        const replay = await this.claimIdempotencyKey(tx, orderId, idempotency);
        if (replay !== null) return { order: replay, events: [], replayed: true };
      }
      const [row] = await tx.select().from(orders).where(eq(orders.id, orderId)).for('update');
      const state = row === undefined ? null : toOrderState(row);
      const events = decide(state);
      const next = events.reduce<OrderState | null>(evolve, state);
      if (next === null || events.length === 0) throw new Error('a command must produce at least one event');
      if (state === null) {
        await tx.insert(orders).values(toOrderRow(next));
      } else {
        await tx
          .update(orders)
          .set({ status: next.status, items: next.items, version: next.version, updatedAt: next.updatedAt })
          .where(eq(orders.id, orderId));
      }
      await tx.insert(orderEvents).values(events.map(toEventRow));
      if (actor !== undefined) {
        await tx.insert(auditEvents).values(orderAuditEntries(state, events, actor).map(toAuditRow));
      }
      // Delivered to listeners only when this transaction commits, which is exactly when the relay may publish.
      await tx.execute(sql`SELECT pg_notify(${OUTBOX_CHANNEL}, '')`);
      return { order: next, events, replayed: false };
    });
  }

  /** Returns the order an earlier request with the same key created, or null when the key is new (now claimed). */
  private async claimIdempotencyKey(tx: Tx, orderId: string, claim: IdempotencyClaim): Promise<OrderState | null> {
    const inserted = await tx
      .insert(idempotencyKeys)
      .values({ userId: claim.userId, key: claim.key, requestHash: claim.requestHash, orderId })
      .onConflictDoNothing()
      .returning({ orderId: idempotencyKeys.orderId });
    if (inserted.length > 0) return null;
    const [existing] = await tx
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.userId, claim.userId), eq(idempotencyKeys.key, claim.key)));
    if (existing === undefined) throw new Error('idempotency key vanished inside its transaction');
    const { replayOrderId } = replayFor(existing, claim.requestHash);
    const [row] = await tx.select().from(orders).where(eq(orders.id, replayOrderId));
    if (row === undefined) throw new Error(`idempotency key points at missing order ${replayOrderId}`);
    return toOrderState(row);
  }

  async findById(orderId: string): Promise<OrderState | null> {
    const [row] = await this.db.select().from(orders).where(eq(orders.id, orderId));
    return row === undefined ? null : toOrderState(row);
  }

  async listByUser(userId: string, after: OrderCursor | undefined, limit: number): Promise<OrderState[]> {
    const afterCursor =
      after === undefined
        ? undefined
        : or(
            lt(orders.createdAt, after.createdAt),
            and(eq(orders.createdAt, after.createdAt), lt(orders.id, after.id)),
          );
    const rows = await this.db
      .select()
      .from(orders)
      .where(and(eq(orders.userId, userId), afterCursor))
      .orderBy(desc(orders.createdAt), desc(orders.id))
      .limit(limit);
    return rows.map(toOrderState);
  }

  async eventsAfter(
    positions: ReadonlyArray<{ orderId: string; lastVersion: number }>,
  ): Promise<OrderLifecycleEvent[]> {
    if (positions.length === 0) return [];
    const wanted = sql`jsonb_to_recordset(${JSON.stringify(positions)}::jsonb) AS wanted("orderId" uuid, "lastVersion" int)`;
    const rows = await this.db
      .select({ event: orderEvents })
      .from(orderEvents)
      .innerJoin(
        wanted,
        sql`wanted."orderId" = ${orderEvents.orderId} AND ${orderEvents.version} > wanted."lastVersion"`,
      )
      .orderBy(asc(orderEvents.orderId), asc(orderEvents.version));
    return rows.map((row) => toLifecycleEvent(row.event));
  }
}
