import type {
  OrderLifecycleEvent,
  OrderStats,
  SearchOrdersQuery,
  SearchOrdersResponse,
  StatsQuery,
} from '@ordertrack/shared';

/** The read side for search and analytics; PostgreSQL answers by default, Elasticsearch when configured. */
export abstract class OrderSearch {
  abstract search(query: SearchOrdersQuery): Promise<SearchOrdersResponse>;
  abstract history(orderId: string): Promise<OrderLifecycleEvent[]>;
  abstract stats(range: StatsQuery): Promise<OrderStats>;
}
