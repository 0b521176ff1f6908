import { Injectable } from '@nestjs/common';
import type { OrderStats, SearchOrdersQuery, SearchOrdersResponse, StatsQuery } from '@ordertrack/shared';
import { OrderSearch } from '../ports/order-search.port.js';

@Injectable()
export class SearchOrdersService {
  constructor(private readonly search: OrderSearch) {}

  find(query: SearchOrdersQuery): Promise<SearchOrdersResponse> {
    return this.search.search(query);
  }

  stats(range: StatsQuery): Promise<OrderStats> {
    return this.search.stats(range);
  }
}
