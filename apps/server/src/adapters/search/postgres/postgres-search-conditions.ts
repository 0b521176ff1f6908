import { searchTerms, type SearchOrdersQuery, type StatsQuery } from '@ordertrack/shared';
import { and, eq, gte, inArray, lte, sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { orders } from '../../db/schema.js';

export function timeRange(column: AnyPgColumn, range: StatsQuery): SQL | undefined {
  return and(
    range.from === undefined ? undefined : gte(column, new Date(range.from)),
    range.to === undefined ? undefined : lte(column, new Date(range.to)),
  );
}

/** Translates the search query into a WHERE clause over current order state; user text only ever becomes bound parameters. */
export function orderSearchConditions(query: SearchOrdersQuery): SQL | undefined {
  const termConditions = (query.q === undefined ? [] : searchTerms(query.q)).map(
    (term) =>
      sql`EXISTS (SELECT 1 FROM jsonb_array_elements(${orders.items}) AS item WHERE strpos(lower(item->>'productId'), ${term}) > 0)`,
  );
  return and(
    query.orderId === undefined ? undefined : eq(orders.id, query.orderId),
    query.userId === undefined ? undefined : eq(orders.userId, query.userId),
    query.status === undefined ? undefined : inArray(orders.status, query.status),
    timeRange(orders.updatedAt, query),
    ...termConditions,
  );
}
