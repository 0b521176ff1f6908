import type { OrderStats, SearchOrdersQuery, SearchOrdersResponse, StatsQuery } from '@ordertrack/shared';

/**
 * The read side for search and analytics; PostgreSQL answers by default, Elasticsearch when configured (then it
 * trails the database by the indexer's lag). An order's own timeline is read from the order store instead.
 */
export abstract class OrderSearch {
  abstract search(query: SearchOrdersQuery): Promise<SearchOrdersResponse>;
  abstract stats(range: StatsQuery): Promise<OrderStats>;
}
