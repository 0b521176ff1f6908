import { Injectable } from '@nestjs/common';
import {
  ORDER_STATUSES,
  type OrderStats,
  type OrderStatus,
  type SearchOrdersQuery,
  type SearchOrdersResponse,
  type StatsQuery,
} from '@ordertrack/shared';
import { asc, count, desc, sql } from 'drizzle-orm';
import { OrderSearch } from '../../../application/ports/order-search.port.js';
import { toOrderDto } from '../../../application/orders/order-dto.js';
import type { Db } from '../../db/database.js';
import { toOrderState } from '../../db/row-mapping.js';
import { orderEvents, orders } from '../../db/schema.js';
import { orderSearchConditions, timeRange } from './postgres-search-conditions.js';

const HOUR_MS = 3_600_000;

/** The embedded search backend: the same answers as the Elasticsearch one, computed by PostgreSQL. */
@Injectable()
export class PostgresOrderSearch extends OrderSearch {
  constructor(private readonly db: Db) {
    super();
  }

  async search(query: SearchOrdersQuery): Promise<SearchOrdersResponse> {
    const where = orderSearchConditions(query);
    const [rows, totals] = await Promise.all([
      this.db
        .select()
        .from(orders)
        .where(where)
        .orderBy(desc(orders.updatedAt), desc(orders.id))
        .limit(query.size)
        .offset((query.page - 1) * query.size),
      this.db.select({ n: count() }).from(orders).where(where),
    ]);
    return { total: totals[0]?.n ?? 0, items: rows.map((row) => toOrderDto(toOrderState(row))) };
  }

  async stats(range: StatsQuery): Promise<OrderStats> {
    const createdInRange = timeRange(orders.createdAt, range);
    const day = sql<string>`to_char(${orders.createdAt} AT TIME ZONE 'UTC', 'YYYY-MM-DD')`;
    const hour = sql<Date>`date_trunc('hour', ${orderEvents.occurredAt} AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`;
    const [byStatus, byDay, busiest] = await Promise.all([
      this.db.select({ status: orders.status, n: count() }).from(orders).where(createdInRange).groupBy(orders.status),
      this.db.select({ date: day, n: count() }).from(orders).where(createdInRange).groupBy(day).orderBy(day),
      this.db
        .select({ start: hour, n: count() })
        .from(orderEvents)
        .where(timeRange(orderEvents.occurredAt, range))
        .groupBy(hour)
        .orderBy(desc(count()), asc(hour))
        .limit(1),
    ]);
    const statusCounts = Object.fromEntries(ORDER_STATUSES.map((status) => [status, 0])) as Record<OrderStatus, number>;
    for (const row of byStatus) statusCounts[row.status as OrderStatus] = row.n;
    const top = busiest[0];
    const start = top === undefined ? undefined : new Date(top.start);
    return {
      statusCounts,
      dailyTrend: byDay.map((row) => ({ date: row.date, count: row.n })),
      busiestPeriod:
        top === undefined || start === undefined
          ? null
          : { start: start.toISOString(), end: new Date(start.getTime() + HOUR_MS).toISOString(), eventCount: top.n },
    };
  }
}
