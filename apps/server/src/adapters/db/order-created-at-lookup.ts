import { inArray } from 'drizzle-orm';
import type { Db } from './database.js';
import { orders } from './schema.js';

/** Creation time per order id, read from the `orders` table (the source of truth); unknown ids are left out. */
export function orderCreatedAtLookup(db: Db): (orderIds: readonly string[]) => Promise<Map<string, Date>> {
  return async (orderIds) => {
    if (orderIds.length === 0) return new Map();
    const rows = await db
      .select({ id: orders.id, createdAt: orders.createdAt })
      .from(orders)
      .where(inArray(orders.id, [...orderIds]));
    return new Map(rows.map((row) => [row.id, row.createdAt]));
  };
}
