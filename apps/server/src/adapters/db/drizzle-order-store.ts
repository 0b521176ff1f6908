import { Injectable } from '@nestjs/common';
import type { OrderLifecycleEvent } from '@ordertrack/shared';
import { and, asc, desc, eq, getTableColumns, getTableName, lt, or, sql, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import { orderAuditEntries } from '../../application/audit/order-audit-entries.js';
import type { Actor } from '../../application/actor.js';
import { DomainError } from '../../domain/domain-error.js';
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
import { serverError, UNIQUE_VIOLATION } from './server-error.js';
import {
  committedEntries,
  toEventRow,
  toLifecycleEvent,
  toOrderRow,
  toOrderState,
  type OrderRow,
} from './row-mapping.js';
import { auditEvents, idempotencyKeys, orderEvents, orders } from './schema.js';
import { PLANNED_EACH_TIME } from './planned-each-time.js';
import { PLANNED_ONCE } from './planned-once.js';
import type { RememberedOrders } from './remembered-orders.js';
import type { CommittedEntries } from '../../outbox/committed-entries.js';
import { StatementCache, type Placeholders } from './statement-cache.js';
import { Coalescer } from '../coalescer.js';

const IDEMPOTENCY_KEY_CONSTRAINT = 'idempotency_keys_user_id_key_pk';
const ORDER_VERSION_CONSTRAINT = 'order_events_order_version_key';
const ORDER_ID_CONSTRAINT = 'orders_pkey';
/** Each round of racing writers has one winner, so only a storm of changes to one order gets this far. */
const MAX_DECISION_ATTEMPTS = 10;
/**
 * Placements, status changes and lookups each coalesce behind this many statements in flight (group commit; see
 * Coalescer). Chosen by the benchmark, in both modes: see the README's Benchmarks section.
 */
const STATEMENTS_IN_FLIGHT = 2;
/** Writes per statement at most: also bounds the statement shapes a connection prepares. */
const MAX_WRITES_PER_STATEMENT = 32;
/** Lookups by id gather the same way: a status change reads its order first, so they come as often as changes. */
const MAX_LOOKUPS_PER_STATEMENT = 64;
/** SQLSTATE classes of errors a row causes (data exception, integrity constraint violation). */
const ROW_ERROR_CLASSES = new Set(['22', '23']);

/** The rows one order change writes, built before anything is sent. */
interface OrderWrite {
  before: OrderState | null;
  after: OrderState;
  events: OrderLifecycleEvent[];
  actor: Actor | undefined;
  claim: (IdempotencyClaim & { orderId: string }) | undefined;
}

/** The rows of one or more order changes, as the single write statement takes them. */
type WriteRows = {
  claim: (typeof idempotencyKeys.$inferInsert)[] | undefined;
  /** The orders, when they are placed (one statement may place several). */
  placed: OrderRow[] | undefined;
  /** The orders' new states and the versions they were decided on, when they change (several per statement). */
  changed: (Pick<OrderRow, 'id' | 'status' | 'items' | 'version' | 'updatedAt'> & { decidedOn: number })[] | undefined;
  events: (typeof orderEvents.$inferInsert)[];
  /** Present when an actor made the change. */
  audit: (typeof auditEvents.$inferInsert)[] | undefined;
};

export interface OrderStoreOptions {
  /** Hears how many placements each placing statement carries (for the metrics). */
  onPlacementStatement?: (placements: number) => void;
  /** Decides status changes on the states this store wrote last (see RememberedOrders). */
  remembered?: RememberedOrders;
  /**
   * Receives every committed statement's events with their positions, signs the statements' notifications and says
   * when none is needed.
   */
  committed?: Pick<CommittedEntries, 'writerId' | 'hand' | 'othersMustBeWoken'>;
}

@Injectable()
export class DrizzleOrderStore extends OrderStore {
  private readonly writes: StatementCache<WriteRows>;
  private readonly quietWrites: StatementCache<WriteRows>;
  private readonly placements: Coalescer<WriteRows>;
  /** Answers, for each change, whether it was written: a change decided on a stale version writes nothing. */
  private readonly changes: Coalescer<WriteRows, boolean>;
  private readonly lookups: Coalescer<string, OrderRow | undefined>;
  private readonly remembered: RememberedOrders | undefined;

  constructor(
    private readonly db: Db,
    { onPlacementStatement = () => undefined, remembered, committed }: OrderStoreOptions = {},
  ) {
    super();
    this.remembered = remembered;
    const writerId = committed?.writerId ?? '';
    this.writes = new StatementCache(db, 'order_write', (template) => writeStatement(db, template, writerId));
    this.quietWrites = new StatementCache(db, 'order_write', (template) => writeStatement(db, template, undefined));
    /** Runs one statement; once it committed, hands its events over and returns what it reported. */
    const execute = async (rows: WriteRows): Promise<WriteReport> => {
      const statements = committed?.othersMustBeWoken === false ? this.quietWrites : this.writes;
      const report = writeReport(await statements.execute(rows));
      committed?.hand(committedEntries(rows.events, report.positions));
      return report;
    };
    const write = async (writes: readonly WriteRows[]) => {
      await execute(mergeWrites(writes));
      return writes.map(() => undefined);
    };
    const place = (placements: readonly WriteRows[]) => {
      onPlacementStatement(placements.length);
      return write(placements);
    };
    const isolateAfter = (error: unknown) => ROW_ERROR_CLASSES.has(serverError(error)?.code.slice(0, 2) ?? '');
    this.placements = new Coalescer(place, {
      maxInFlight: STATEMENTS_IN_FLIGHT,
      maxBatch: MAX_WRITES_PER_STATEMENT,
      kind: (placement) => `${placement.claim === undefined ? '' : 'claim,'}${placement.audit?.length ?? '-'}`,
      isolateAfter,
    });
    // A change that lost its race is not written and the others commit; execute() decides it again. Two changes of
    // one order in one statement fail it on the event's unique version (class 23), and each is retried alone.
    const change = async (changes: readonly WriteRows[]) => {
      const { saved } = await execute(mergeWrites(changes));
      return changes.map((write) => write.changed?.every((row) => saved.has(row.id)) === true);
    };
    this.changes = new Coalescer(change, {
      maxInFlight: STATEMENTS_IN_FLIGHT,
      maxBatch: MAX_WRITES_PER_STATEMENT,
      kind: (change) => `${change.events.length},${change.audit?.length ?? '-'}`,
      isolateAfter,
    });
    const ordersByIds = db
      .select()
      .from(orders)
      .where(sql`${orders.id} = ANY(${sql.placeholder('ids')}::uuid[])`)
      .prepare(PLANNED_EACH_TIME);
    const lookUp = async (ids: readonly string[]) => {
      const rows = new Map((await ordersByIds.execute({ ids: `{${ids.join(',')}}` })).map((row) => [row.id, row]));
      return ids.map((id) => rows.get(id));
    };
    // A malformed id (invalid text for uuid, class 22) fails the query for every id in it: each is then asked alone.
    this.lookups = new Coalescer(lookUp, {
      maxInFlight: STATEMENTS_IN_FLIGHT,
      maxBatch: MAX_LOOKUPS_PER_STATEMENT,
      kind: () => 'by id',
      isolateAfter,
    });
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
      // One statement is atomic on its own: no BEGIN/COMMIT round trips for the commonest write of all. Concurrent
      // placements share it (each still all or nothing: a batch one of them fails is retried one by one).
      await this.placements.submit(writeRows({ ...change, actor, claim }));
    } catch (error) {
      if (idempotency === undefined || !violated(error, IDEMPOTENCY_KEY_CONSTRAINT)) throw error;
      // The key was taken first (by a committed request; one still in flight was waited for by the insert).
      return { order: await this.orderClaimedBy(idempotency), events: [], replayed: true };
    }
    this.remembered?.remember(change.after);
    return { order: change.after, events: change.events, replayed: false };
  }

  async execute(
    orderId: string,
    decide: (state: OrderState | null) => OrderLifecycleEvent[],
    actor?: Actor,
  ): Promise<OrderChange> {
    // Optimistic: read, decide, write in one statement that fails, writing nothing, when a concurrent change of the
    // same order committed in between; then decide again on the order as that change left it.
    for (let attempt = 1; ; attempt += 1) {
      const remembered = attempt === 1 ? this.remembered?.recall(orderId) : undefined;
      const before = remembered ?? (await this.findById(orderId));
      let change: Pick<OrderWrite, 'before' | 'after' | 'events'>;
      try {
        change = planChange(before, decide(before));
      } catch (error) {
        if (remembered === undefined) throw error;
        // A refusal must come from the stored order, not from memory: decide again on what the database holds.
        this.remembered?.forget(orderId);
        continue;
      }
      let written: boolean;
      try {
        written = await this.changes.submit(writeRows({ ...change, actor, claim: undefined }));
      } catch (error) {
        if (!lostRace(error)) {
          this.remembered?.forget(orderId);
          throw error;
        }
        written = false;
      }
      if (written) {
        this.remembered?.remember(change.after);
        return { order: change.after, events: change.events, replayed: false };
      }
      this.remembered?.forget(orderId);
      if (attempt === MAX_DECISION_ATTEMPTS) {
        throw new DomainError('VERSION_MISMATCH', `order ${orderId} kept changing while this change was decided`);
      }
    }
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
    const row = await this.lookups.submit(orderId);
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

function writeRows({ before, after, events, actor, claim }: OrderWrite): WriteRows {
  return {
    claim:
      claim === undefined
        ? undefined
        : [{ userId: claim.userId, key: claim.key, requestHash: claim.requestHash, orderId: claim.orderId }],
    placed: before === null ? [toOrderRow(after)] : undefined,
    changed:
      before === null
        ? undefined
        : [
            {
              id: after.id,
              status: after.status,
              items: after.items,
              version: after.version,
              updatedAt: after.updatedAt,
              decidedOn: before.version,
            },
          ],
    events: events.map(toEventRow),
    audit: actor === undefined ? undefined : orderAuditEntries(before, events, actor).map(toAuditRow),
  };
}

/** Writes of one kind (see the coalescers' `kind`: all placements or all changes) as the rows of one statement. */
function mergeWrites(writes: readonly WriteRows[]): WriteRows {
  const [first] = writes;
  if (writes.length === 1 && first !== undefined) return first;
  const rows = <Row>(pick: (write: WriteRows) => Row[] | undefined) =>
    first === undefined || pick(first) === undefined ? undefined : writes.flatMap((write) => pick(write) ?? []);
  return {
    claim: rows((write) => write.claim),
    placed: rows((write) => write.placed),
    changed: rows((write) => write.changed),
    events: writes.flatMap((write) => write.events),
    audit: rows((write) => write.audit),
  };
}

/** What a write statement reports: the orders a change statement changed, and each written event's position. */
interface WriteReport {
  saved: Set<string>;
  positions: Map<string, number>;
}

const EVENT_POSITION = sql`RETURNING ${sql.identifier(orderEvents.eventId.name)}, ${sql.identifier(orderEvents.position.name)}`;

/**
 * Every row of one or more changes as a single statement (data-modifying CTEs): the claim, the order, its events (the
 * outbox) and audit entries, and, given a `writerId`, the relay's wake-up signed with it, which listeners receive
 * only once this commits. A status change writes its events and audit entries only where its order's update matched
 * the version it was decided on. The statement returns the ids of the orders it changed and the position of each
 * event it wrote.
 */
function writeStatement(
  db: Db,
  { claim, placed, changed, events, audit }: Placeholders<WriteRows>,
  writerId: string | undefined,
): SQL {
  const steps: SQL[] = [];
  if (claim !== undefined) steps.push(sql`claimed AS (${db.insert(idempotencyKeys).values(claim).getSQL()})`);
  if (placed !== undefined) {
    steps.push(sql`saved AS (${db.insert(orders).values(placed).getSQL()})`);
    steps.push(sql`history AS (${db.insert(orderEvents).values(events).getSQL()} ${EVENT_POSITION})`);
    if (audit !== undefined) steps.push(sql`audited AS (${db.insert(auditEvents).values(audit).getSQL()})`);
  } else if (changed !== undefined) {
    steps.push(sql`saved AS (${changeOrders(changed)})`);
    steps.push(sql`history AS (${insertForSavedOrders(orderEvents, events, 'orderId')} ${EVENT_POSITION})`);
    if (audit !== undefined) steps.push(sql`audited AS (${insertForSavedOrders(auditEvents, audit, 'subjectId')})`);
  } else {
    throw new Error('an order write either places or changes the order');
  }
  const saved = changed === undefined ? sql`NULL` : sql`(SELECT string_agg(id::text, ',') FROM saved)`;
  const wake = writerId === undefined ? sql`NULL` : sql`pg_notify(${OUTBOX_CHANNEL}, ${writerId})`;
  // One order's change finds its row by primary key (its one-row VALUES list folds into the key's equality), and
  // planning took half its time (see PLANNED_ONCE). Several changes join a VALUES list whose best plan depends on the
  // table's size; placements read no table, but they plan in about an eighth of the time a change does.
  const planning = changed?.length === 1 ? sql.raw(PLANNED_ONCE) : sql``;
  return sql`${planning}WITH ${sql.join(steps, sql`, `)} SELECT ${wake}, ${saved} AS saved,
    (SELECT string_agg(event_id::text || '=' || position::text, ',') FROM history) AS written`;
}

/**
 * `INSERT … SELECT` of rows that belong to an order the statement's `saved` step changed. A VALUES list has no column
 * types, so each value is cast to its column's type (after the column's own encoding, e.g. JSON for jsonb).
 */
function insertForSavedOrders(table: PgTable, rows: readonly Record<string, unknown>[], orderKey: string): SQL {
  const columns: Record<string, PgColumn> = getTableColumns(table);
  const column = (key: string): PgColumn => {
    const found = columns[key];
    if (found === undefined) throw new Error(`no column ${key} in ${getTableName(table)}`);
    return found;
  };
  const [first] = rows;
  if (first === undefined) throw new Error('an insert needs at least one row');
  const keys = Object.keys(first);
  const names = sql.join(
    keys.map((key) => sql.identifier(column(key).name)),
    sql`, `,
  );
  const values = rows.map((row) => {
    if (Object.keys(row).length !== keys.length) throw new Error('the rows of one insert must set the same columns');
    return sql`(${sql.join(
      keys.map((key) => sql`CAST(${sql.param(row[key], column(key))} AS ${sql.raw(column(key).getSQLType())})`),
      sql`, `,
    )})`;
  });
  return sql`INSERT INTO ${table} (${names}) SELECT ${names} FROM (VALUES ${sql.join(values, sql`, `)}) AS rows (${names})
    WHERE ${sql.identifier(column(orderKey).name)} IN (SELECT id FROM saved)`;
}

/** What a write statement reported (see writeStatement). */
function writeReport(result: unknown): WriteReport {
  const [row] = (result as { rows: { saved: string | null; written: string | null }[] }).rows;
  const positions = new Map<string, number>();
  for (const pair of row?.written?.split(',') ?? []) {
    const [eventId = '', position] = pair.split('=');
    positions.set(eventId, Number(position));
  }
  return { saved: new Set(row?.saved?.split(',') ?? []), positions };
}

/**
 * Each order's new state, where it still has the version its change was decided on. The values go through the
 * columns' encoders (the items as JSON, the time as ISO text) and are cast, since a VALUES list has no column types.
 */
function changeOrders(changed: Placeholders<WriteRows>['changed'] & object): SQL {
  const rows = changed.map(
    (change) =>
      sql`(${sql.param(change.id, orders.id)}::uuid, ${sql.param(change.status, orders.status)}::text, ${sql.param(change.items, orders.items)}::jsonb, ${sql.param(change.version, orders.version)}::integer, ${sql.param(change.updatedAt, orders.updatedAt)}::timestamptz, ${sql.param(change.decidedOn, orders.version)}::integer)`,
  );
  return sql`UPDATE ${orders} SET status = next.status, items = next.items, version = next.version, updated_at = next.updated_at
    FROM (VALUES ${sql.join(rows, sql`, `)}) AS next (id, status, items, version, updated_at, decided_on)
    WHERE ${orders.id} = next.id AND ${orders.version} = next.decided_on
    RETURNING ${orders.id}`;
}

function violated(error: unknown, constraint: string): boolean {
  const server = serverError(error);
  return server?.code === UNIQUE_VIOLATION && server.constraint === constraint;
}

/** The ways a write decided on a stale read can still fail: the next version or the id already taken. */
function lostRace(error: unknown): boolean {
  return violated(error, ORDER_VERSION_CONSTRAINT) || violated(error, ORDER_ID_CONSTRAINT);
}

function planChange(
  before: OrderState | null,
  events: OrderLifecycleEvent[],
): Pick<OrderWrite, 'before' | 'after' | 'events'> {
  const after = events.reduce<OrderState | null>(evolve, before);
  if (after === null || events.length === 0) throw new Error('a command must produce at least one event');
  return { before, after, events };
}
