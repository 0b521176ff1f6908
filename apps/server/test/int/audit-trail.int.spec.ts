import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DrizzleAuditTrail } from '../../src/adapters/db/drizzle-audit-trail.js';
import { DrizzleOrderStore } from '../../src/adapters/db/drizzle-order-store.js';
import { DomainError } from '../../src/domain/domain-error.js';
import { decide } from '../../src/domain/orders/order-decider.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { insertUser } from '../support/fixtures.js';
import { DATABASE_MODES } from '../support/test-app.js';

const ITEMS = [{ productId: 'ESP-001', qty: 2 }];

describe.each(DATABASE_MODES)('audit trail on %s', (mode) => {
  let database: TestDatabase;
  let store: DrizzleOrderStore;
  let audit: DrizzleAuditTrail;
  let customerId: string;
  const adminId = randomUUID();

  beforeAll(async () => {
    database = await openTestDatabase(mode);
    store = new DrizzleOrderStore(database.handle.db);
    audit = new DrizzleAuditTrail(database.handle.db);
    customerId = await insertUser(database.handle);
  });

  afterAll(() => database.close());

  const place = (orderId: string) =>
    store.create(
      orderId,
      (state) =>
        decide(
          { kind: 'PlaceOrder', orderId, userId: customerId, items: ITEMS, eventId: randomUUID(), at: new Date() },
          state,
        ),
      undefined,
      { userId: customerId, role: 'CUSTOMER' },
    );
  const change = (orderId: string, to: 'ACCEPTED' | 'DELIVERED') =>
    store.execute(
      orderId,
      (state) =>
        decide(
          { kind: 'ChangeOrderStatus', orderId, to, expectedVersion: undefined, eventId: randomUUID(), at: new Date() },
          state,
        ),
      { userId: adminId, role: 'ADMIN' },
    );

  it('records order creation and status changes with the change, and nothing for a refused change', async () => {
    const orderId = randomUUID();
    await place(orderId);
    await change(orderId, 'ACCEPTED');
    await expect(change(orderId, 'DELIVERED')).rejects.toBeInstanceOf(DomainError);

    const trail = await audit.forOrder(orderId);
    expect(trail.map((event) => event.action)).toEqual(['order.created', 'order.status_changed']);
    expect(trail[0]).toMatchObject({
      actor: { userId: customerId, role: 'CUSTOMER' },
      subject: { type: 'order', id: orderId },
      details: { orderId, version: 1, to: 'CREATED', itemCount: 1 },
    });
    expect(trail[1]).toMatchObject({
      actor: { userId: adminId, role: 'ADMIN' },
      details: { orderId, version: 2, from: 'CREATED', to: 'ACCEPTED' },
    });
  });

  it('records auth events on their own, without personal data', async () => {
    await audit.record({
      occurredAt: new Date(),
      action: 'auth.login_failed',
      actor: { userId: null, role: null },
      subject: { type: 'user', id: null },
      details: { reason: 'unknown_account' },
    });
    const rows = await database.handle.db.execute<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM audit_events WHERE action = 'auth.login_failed'`,
    );
    expect(rowsOf<{ n: number }>(rows)[0]?.n).toBe(1);
  });

  it('is append-only: deleting or rewriting an audit event is refused, marking it published is not', async () => {
    const orderId = randomUUID();
    await place(orderId);
    await expect(database.handle.db.execute(sql`DELETE FROM audit_events`)).rejects.toThrow();
    await expect(
      database.handle.db.execute(sql`UPDATE audit_events SET action = 'order.status_changed'`),
    ).rejects.toThrow();
    await database.handle.db.execute(sql`UPDATE audit_events SET published_at = now()`);
    expect(await audit.forOrder(orderId)).toHaveLength(1);
  });

  it('refuses a change to every column but published_at, so a column the trigger does not name is noticed', async () => {
    const orderId = randomUUID();
    await place(orderId);
    const columns = rowsOf<{ column_name: string; data_type: string }>(
      await database.handle.db.execute(
        sql`SELECT column_name, data_type FROM information_schema.columns
            WHERE table_name = 'audit_events' AND column_name <> 'published_at' ORDER BY ordinal_position`,
      ),
    );
    expect(columns.map((column) => column.column_name)).toContain('details');
    for (const { column_name: name, data_type: type } of columns) {
      const refusal = await database.handle.db
        .execute(
          sql`UPDATE audit_events SET ${sql.identifier(name)} = ${changedValue(name, type)}
              WHERE subject_id = ${orderId}::uuid`,
        )
        .then(
          () => 'accepted',
          // drizzle wraps the database's error ("Failed query: …") with it as the cause.
          (error: unknown) => String(error instanceof Error && error.cause !== undefined ? error.cause : error),
        );
      expect(refusal, `changing ${name}`).toMatch(/append-only: only published_at may be set/);
    }
  });
});

/** An expression that gives the column another value of its type; a type not listed fails the test, to be added. */
function changedValue(column: string, type: string) {
  const current = sql.identifier(column);
  switch (type) {
    case 'bigint':
      return sql`${current} + 1000000`;
    case 'uuid':
      return sql`gen_random_uuid()`;
    case 'timestamp with time zone':
      return sql`${current} + interval '1 second'`;
    case 'text':
      return sql`coalesce(${current}, '') || '-changed'`;
    case 'jsonb':
      return sql`${current} || '{"changed": true}'::jsonb`;
    default:
      throw new Error(`no way to change audit_events.${column} of type ${type}: add one to changedValue`);
  }
}

/** node-postgres returns `{rows}`, PGlite's drizzle driver returns `{rows}` too; kept in one place in case not. */
function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}
