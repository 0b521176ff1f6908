import { z } from 'zod';
import { IsoTimestamp, Uuid } from '../common/ids.js';
import { OrderLifecycleEvent } from '../events/order-lifecycle/order-lifecycle-event.js';
import { Order } from '../orders/order.js';
import { ORDER_STATUSES, OrderStatus } from '../orders/order-status.js';
import { MAX_PAGE_SIZE } from './orders.js';

/** `status=A&status=B` and `status=A,B` mean the same. */
const StatusList = z.preprocess(
  (value) =>
    typeof value === 'string' || Array.isArray(value) ? [value].flat().flatMap((v) => String(v).split(',')) : value,
  z.array(OrderStatus).min(1).max(ORDER_STATUSES.length),
);

const TimeRange = {
  from: IsoTimestamp.optional(),
  to: IsoTimestamp.optional(),
};

function fromBeforeTo(range: { from?: string | undefined; to?: string | undefined }): boolean {
  return range.from === undefined || range.to === undefined || Date.parse(range.from) <= Date.parse(range.to);
}
const FROM_BEFORE_TO = { message: '`from` must not be after `to`', path: ['from'] };

export const SearchOrdersQuery = z
  .strictObject({
    orderId: Uuid.optional(),
    userId: Uuid.optional(),
    status: StatusList.optional(),
    ...TimeRange,
    // PostgreSQL text cannot hold NUL, so a NUL in a search term would fail the query rather than match nothing.
    q: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .refine((text) => !text.includes('\u0000'), 'must not contain NUL characters')
      .optional(),
    page: z.coerce.number().int().min(1).max(10_000).default(1),
    size: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).default(20),
  })
  .refine(fromBeforeTo, FROM_BEFORE_TO);
export type SearchOrdersQuery = z.infer<typeof SearchOrdersQuery>;

export const SearchOrdersResponse = z
  .object({ total: z.int().min(0), items: z.array(Order) })
  .meta({ id: 'SearchOrdersResponse' });
export type SearchOrdersResponse = z.infer<typeof SearchOrdersResponse>;

export const OrderHistoryResponse = z
  .object({ items: z.array(OrderLifecycleEvent) })
  .meta({ id: 'OrderHistoryResponse' });
export type OrderHistoryResponse = z.infer<typeof OrderHistoryResponse>;

export const StatsQuery = z.strictObject({ ...TimeRange }).refine(fromBeforeTo, FROM_BEFORE_TO);
export type StatsQuery = z.infer<typeof StatsQuery>;

export const OrderStats = z
  .object({
    statusCounts: z.record(OrderStatus, z.int().min(0)),
    dailyTrend: z.array(z.object({ date: z.iso.date(), count: z.int().min(0) })),
    busiestPeriod: z.object({ start: IsoTimestamp, end: IsoTimestamp, eventCount: z.int().min(1) }).nullable(),
  })
  .meta({ id: 'OrderStats' });
export type OrderStats = z.infer<typeof OrderStats>;

/** Free text is split into terms; every term must occur, case-insensitively, inside some product id of the order. */
export function searchTerms(q: string): string[] {
  return [
    ...new Set(
      q
        .toLowerCase()
        .split(/\s+/)
        .filter((term) => term.length > 0),
    ),
  ];
}
