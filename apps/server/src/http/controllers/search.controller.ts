import { Controller, Get, Param, Query } from '@nestjs/common';
import { ApiBearerAuth, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  ErrorResponse,
  OrderHistoryResponse,
  OrderStats,
  SearchOrdersQuery,
  SearchOrdersResponse,
  StatsQuery,
  Uuid,
} from '@ordertrack/shared';
import type { Actor } from '../../application/actor.js';
import { OrderHistoryService } from '../../application/search/order-history.service.js';
import { SearchOrdersService } from '../../application/search/search-orders.service.js';
import { CurrentActor, Roles } from '../auth/auth.decorators.js';

@ApiTags('search')
@ApiBearerAuth()
@Controller('search/orders')
export class SearchController {
  constructor(
    private readonly searchOrders: SearchOrdersService,
    private readonly orderHistory: OrderHistoryService,
  ) {}

  @Get()
  @Roles('ADMIN')
  @ApiResponse({ status: 200, standardSchema: SearchOrdersResponse })
  search(@Query({ schema: SearchOrdersQuery }) query: SearchOrdersQuery): Promise<SearchOrdersResponse> {
    return this.searchOrders.find(query);
  }

  @Get('stats')
  @Roles('ADMIN')
  @ApiResponse({
    status: 200,
    description:
      'statusCounts and dailyTrend count orders created in [from, to] by current status and UTC day; ' +
      'busiestPeriod is the UTC clock hour with the most lifecycle events in [from, to]',
    standardSchema: OrderStats,
  })
  stats(@Query({ schema: StatsQuery }) query: StatsQuery): Promise<OrderStats> {
    return this.searchOrders.stats(query);
  }

  @Get(':id/history')
  @ApiResponse({ status: 200, standardSchema: OrderHistoryResponse })
  @ApiResponse({ status: 404, description: 'missing, or owned by another customer', standardSchema: ErrorResponse })
  history(@CurrentActor() actor: Actor, @Param('id', { schema: Uuid }) orderId: string): Promise<OrderHistoryResponse> {
    return this.orderHistory.history(actor, orderId);
  }
}
