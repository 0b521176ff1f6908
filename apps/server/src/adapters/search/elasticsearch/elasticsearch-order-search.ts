import {
  ORDER_STATUSES,
  OrderStatus,
  type OrderStats,
  type SearchOrdersQuery,
  type SearchOrdersResponse,
  type StatsQuery,
} from '@ordertrack/shared';
import { errors, type Client, type estypes } from '@elastic/elasticsearch';
import { DomainError } from '../../../domain/domain-error.js';
import { OrderSearch } from '../../../application/ports/order-search.port.js';
import { fromCurrentOrderDocument, type CurrentOrderDocument } from './es-documents.js';
import type { EsIndexNames } from './es-index-definitions.js';
import {
  busiestHour,
  createdOrdersStatsRequest,
  DAY_AGG,
  eventsPerHourRequest,
  HOUR_AGG,
  searchOrdersRequest,
  STATUS_AGG,
  type HourBucket,
} from './es-queries.js';

const HOUR_MS = 3_600_000;

/** An unreachable cluster is the caller's 503 (retry later), not a 500. */
async function whileReachable<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (
      error instanceof errors.ConnectionError ||
      error instanceof errors.NoLivingConnectionsError ||
      error instanceof errors.TimeoutError
    ) {
      throw new DomainError('DEPENDENCY_UNAVAILABLE', 'search is temporarily unavailable, retry shortly');
    }
    throw error;
  }
}

type KeyedBucket = estypes.AggregationsStringTermsBucket;
type DayBucket = estypes.AggregationsDateHistogramBucket;

/** Search and analytics from Elasticsearch; answers exactly as PostgresOrderSearch does (same contract suite). */
export class ElasticsearchOrderSearch extends OrderSearch {
  constructor(
    private readonly client: Client,
    private readonly names: EsIndexNames,
  ) {
    super();
  }

  async search(query: SearchOrdersQuery): Promise<SearchOrdersResponse> {
    const response = await whileReachable(() =>
      this.client.search<CurrentOrderDocument>(searchOrdersRequest(this.names, query)),
    );
    return { total: totalHits(response.hits.total), items: sources(response).map(fromCurrentOrderDocument) };
  }

  async stats(range: StatsQuery): Promise<OrderStats> {
    const [created, perHour] = await whileReachable(() =>
      Promise.all([
        this.client.search(createdOrdersStatsRequest(this.names, range)),
        this.client.search(eventsPerHourRequest(this.names, range)),
      ]),
    );
    const statusCounts = Object.fromEntries(ORDER_STATUSES.map((status) => [status, 0])) as Record<OrderStatus, number>;
    for (const bucket of buckets<KeyedBucket>(created.aggregations?.[STATUS_AGG])) {
      statusCounts[OrderStatus.parse(bucket.key)] = bucket.doc_count;
    }
    const busiest = busiestHour(
      buckets<DayBucket>(perHour.aggregations?.[HOUR_AGG]).map((bucket): HourBucket => ({
        key: bucket.key,
        doc_count: bucket.doc_count,
      })),
    );
    return {
      statusCounts,
      dailyTrend: buckets<DayBucket>(created.aggregations?.[DAY_AGG]).map((bucket) => ({
        date: bucket.key_as_string ?? new Date(bucket.key).toISOString().slice(0, 10),
        count: bucket.doc_count,
      })),
      busiestPeriod:
        busiest === null
          ? null
          : {
              start: new Date(busiest.key).toISOString(),
              end: new Date(busiest.key + HOUR_MS).toISOString(),
              eventCount: busiest.doc_count,
            },
    };
  }
}

function totalHits(total: number | estypes.SearchTotalHits | undefined): number {
  if (total === undefined) return 0;
  return typeof total === 'number' ? total : total.value;
}

function sources<T>(response: estypes.SearchResponse<T>): T[] {
  return response.hits.hits.flatMap((hit) => (hit._source === undefined ? [] : [hit._source]));
}

/**
 * The bucket list of a terms or histogram aggregation. The client types aggregations as a union of every kind;
 * the request builders fix which kind each name is, so narrowing to the bucket shape here is safe. Absent when
 * no index exists yet (history before the first event), which means no buckets.
 */
function buckets<B>(aggregate: estypes.AggregationsAggregate | undefined): B[] {
  if (aggregate === undefined || !('buckets' in aggregate)) return [];
  const list: unknown = aggregate.buckets;
  return Array.isArray(list) ? (list as B[]) : [];
}
