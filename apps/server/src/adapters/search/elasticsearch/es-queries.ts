import { ORDER_STATUSES, searchTerms, type SearchOrdersQuery, type StatsQuery } from '@ordertrack/shared';
import type { estypes } from '@elastic/elasticsearch';
import { PRODUCT_ID_LOWERCASE_FIELD, type EsIndexNames } from './es-index-definitions.js';

/**
 * Query DSL builders, pure so they can be unit-tested. User text only ever becomes the value of a term-level
 * query object (never `query_string`), with the wildcard syntax characters escaped.
 */

export const STATUS_AGG = 'by_status';
export const DAY_AGG = 'by_day';
export const HOUR_AGG = 'by_hour';

/** Reads of history go through the alias, which exists only once a monthly index does: absent means empty. */
const TOLERATE_MISSING_INDICES = { ignore_unavailable: true, allow_no_indices: true } as const;

/** Escapes the characters the `wildcard` query treats specially, so a term matches literally. */
export function escapeWildcard(term: string): string {
  return term.replace(/[\\*?]/g, (char) => `\\${char}`);
}

function rangeFilter(field: string, range: StatsQuery): estypes.QueryDslQueryContainer[] {
  if (range.from === undefined && range.to === undefined) return [];
  // Normalized to UTC ISO with milliseconds, so offsets in the input can't be read differently by Elasticsearch.
  const bounds: estypes.QueryDslDateRangeQuery = {};
  if (range.from !== undefined) bounds.gte = new Date(range.from).toISOString();
  if (range.to !== undefined) bounds.lte = new Date(range.to).toISOString();
  return [{ range: { [field]: bounds } }];
}

/** Every term must occur, case-insensitively, inside the product id of at least one item of the order. */
function productTermFilter(term: string): estypes.QueryDslQueryContainer {
  return {
    nested: {
      path: 'items',
      query: {
        wildcard: {
          [PRODUCT_ID_LOWERCASE_FIELD]: { value: `*${escapeWildcard(term)}*`, case_insensitive: true },
        },
      },
    },
  };
}

export function searchOrdersRequest(names: EsIndexNames, query: SearchOrdersQuery): estypes.SearchRequest {
  const filter: estypes.QueryDslQueryContainer[] = [
    ...(query.orderId === undefined ? [] : [{ ids: { values: [query.orderId] } }]),
    ...(query.userId === undefined ? [] : [{ term: { userId: query.userId } }]),
    ...(query.status === undefined ? [] : [{ terms: { status: query.status } }]),
    ...rangeFilter('updatedAt', query),
    ...(query.q === undefined ? [] : searchTerms(query.q).map(productTermFilter)),
  ];
  return {
    index: names.orders,
    query: { bool: { filter } },
    // Same order as PostgreSQL: newest update first, ties by id descending (lowercase hex sorts like the UUID bytes).
    sort: [{ updatedAt: { order: 'desc' } }, { id: { order: 'desc' } }],
    from: (query.page - 1) * query.size,
    size: query.size,
    track_total_hits: true,
  };
}

/** Status counts and the daily trend, both over orders created in the range (current state decides the status). */
export function createdOrdersStatsRequest(names: EsIndexNames, range: StatsQuery): estypes.SearchRequest {
  return {
    index: names.orders,
    size: 0,
    query: { bool: { filter: rangeFilter('createdAt', range) } },
    aggs: {
      [STATUS_AGG]: { terms: { field: 'status', size: ORDER_STATUSES.length } },
      [DAY_AGG]: {
        date_histogram: {
          field: 'createdAt',
          calendar_interval: 'day',
          time_zone: 'UTC',
          min_doc_count: 1,
          format: 'yyyy-MM-dd',
        },
      },
    },
  };
}

/**
 * Lifecycle events per UTC clock hour in the range; the busiest is picked in code (`busiestHour`). Only hours with
 * events become buckets, so a 24-month history stays far below the default 65 536-bucket limit.
 */
export function eventsPerHourRequest(names: EsIndexNames, range: StatsQuery): estypes.SearchRequest {
  return {
    index: names.historyAlias,
    ...TOLERATE_MISSING_INDICES,
    size: 0,
    query: { bool: { filter: rangeFilter('timestamp', range) } },
    aggs: {
      [HOUR_AGG]: {
        date_histogram: { field: 'timestamp', fixed_interval: '1h', time_zone: 'UTC', min_doc_count: 1 },
      },
    },
  };
}

export interface HourBucket {
  /** Start of the hour, epoch milliseconds. */
  key: number;
  doc_count: number;
}

/** The hour with the most events; ties go to the earliest hour, as in the PostgreSQL backend. */
export function busiestHour(buckets: readonly HourBucket[]): HourBucket | null {
  let best: HourBucket | null = null;
  for (const bucket of buckets) {
    if (bucket.doc_count === 0) continue;
    if (
      best === null ||
      bucket.doc_count > best.doc_count ||
      (bucket.doc_count === best.doc_count && bucket.key < best.key)
    )
      best = bucket;
  }
  return best;
}
