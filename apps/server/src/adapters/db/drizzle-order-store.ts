import { Injectable } from '@nestjs/common';
import type { OrderLifecycleEvent } from '@ordertrack/shared';
import { and, asc, desc, eq, lt, or, sql, type SQL } from 'drizzle-orm';
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
import { isUniqueViolation } from './unique-violation.js';
import { toEventRow, toLifecycleEvent, toOrderRow, toOrderState } from './row-mapping.js';
import { auditEvents, idempotencyKeys, orderEvents, orders } from './schema.js';

const IDEMPOTENCY_KEY_CONSTRAINT = 'idempotency_keys_user_id_key_pk';

/** The rows one order change writes, built before anything is sent. */
interface OrderWrite {
  before: OrderState | null;
  after: OrderState;
  events: OrderLifecycleEvent[];
  actor: Actor | undefined;
  claim: (IdempotencyClaim & { orderId: string }) | undefined;
}

@Injectable()
export class DrizzleOrderStore extends OrderStore {
  constructor(private readonly db: Db) {
    super();
  }

  async create(
    orderId: string,
    decide: (state: null) => OrderLifecycleEvent[],
    idempotency?: IdempotencyClaim,
    actor?: Actor,
  ): Promise<OrderChange> {
    const change = planChange(null, decide(null));
    const claim = idempotency === undefined ? undefined : { ...idempotency, orderId };
    try {
      // One statement is atomic on its own: no BEGIN/COMMIT round trips for the commonest write of all.
      await this.db.execute(this.writeStatement(this.db, { ...change, actor, claim }));
    } catch (error) {
      if (idempotency === undefined || !isUniqueViolation(error, IDEMPOTENCY_KEY_CONSTRAINT)) throw error;
      // The key was taken first (by a committed request; one still in flight was waited for by the insert).
      return { order: await this.orderClaimedBy(idempotency), events: [], replayed: true };
    }
    return { order: change.after, events: change.events, replayed: false };
  }

  execute(
    orderId: string,
    decide: (state: OrderState | null) => OrderLifecycleEvent[],
    actor?: Actor,
  ): Promise<OrderChange> {
    return this.db.transaction(async (tx) => {
      const [row] = await tx.select().from(orders).where(eq(orders.id, orderId)).for('update');
      const before = row === undefined ? null : toOrderState(row);
      const change = planChange(before, decide(before));
      await tx.execute(this.writeStatement(tx, { ...change, actor, claim: undefined }));
      return { order: change.after, events: change.events, replayed: false };
    });
  }

  /**
   * Every row of one change as a single statement (data-modifying CTEs): the claim, the order, its events (the
   * outbox) and audit entries, and the relay's wake-up, which listeners receive only once this commits.
   */
  private writeStatement(db: Pick<Db, 'insert' | 'update'>, write: OrderWrite): SQL {
    const { before, after, events, actor, claim } = write;
    const steps: SQL[] = [];
    if (claim !== undefined) {
      const { userId, key, requestHash, orderId } = claim;
      steps.push(
        sql`claimed AS (${db.insert(idempotencyKeys).values({ userId, key, requestHash, orderId }).getSQL()})`,
      );
    }
    const saveOrder =
      before === null
        ? db.insert(orders).values(toOrderRow(after))
        : db
            .update(orders)
            .set({ status: after.status, items: after.items, version: after.version, updatedAt: after.updatedAt })
            .where(eq(orders.id, after.id));
    steps.push(sql`saved AS (${saveOrder.getSQL()})`);
    steps.push(sql`history AS (${db.insert(orderEvents).values(events.map(toEventRow)).getSQL()})`);
    if (actor !== undefined) {
      const entries = orderAuditEntries(before, events, actor).map(toAuditRow);
      steps.push(sql`audited AS (${db.insert(auditEvents).values(entries).getSQL()})`);
    }
    return sql`WITH ${sql.join(steps, sql`, `)} SELECT pg_notify(${OUTBOX_CHANNEL}, '')`;
  }

  private async orderClaimedBy(claim: IdempotencyClaim): Promise<OrderState> {
    const [existing] = await this.db
      .select()
      .from(idempotencyKeys)
      .where(and(eq(idempotencyKeys.userId, claim.userId), eq(idempotencyKeys.key, claim.key)));
    if (existing === undefined) throw new Error('an idempotency key reported as taken is missing');
    const { replayOrderId } = replayFor(existing, claim.requestHash);
    const [row] = await this.db.select().from(orders).where(eq(orders.id, replayOrderId));
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

function planChange(
  before: OrderState | null,
  events: OrderLifecycleEvent[],
): Pick<OrderWrite, 'before' | 'after' | 'events'> {
  const after = events.reduce<OrderState | null>(evolve, before);
  if (after === null || events.length === 0) throw new Error('a command must produce at least one event');
  return { before, after, events };
}
