import { Body, Controller, Get, Param, Patch, Post, Query, Res } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiResponse, ApiTags } from '@nestjs/swagger';
import {
  CreateOrderRequest,
  ErrorResponse,
  ListUserOrdersQuery,
  Order,
  OrderPage,
  UpdateOrderStatusRequest,
  Uuid,
} from '@ordertrack/shared';
import type { Response } from 'express';
import type { Actor } from '../../application/actor.js';
import { ChangeOrderStatusService } from '../../application/orders/change-order-status.service.js';
import { GetOrderService } from '../../application/orders/get-order.service.js';
import { ListUserOrdersService } from '../../application/orders/list-user-orders.service.js';
import { PlaceOrderService } from '../../application/orders/place-order.service.js';
import { CurrentActor, Roles } from '../auth/auth.decorators.js';
import { entityTag, ExpectedVersion, IdempotencyKey } from '../request-headers.js';

@ApiTags('orders')
@ApiBearerAuth()
@Controller('orders')
export class OrdersController {
  constructor(
    private readonly placeOrder: PlaceOrderService,
    private readonly getOrder: GetOrderService,
    private readonly listUserOrders: ListUserOrdersService,
    private readonly changeStatus: ChangeOrderStatusService,
  ) {}

  @Post()
  @Roles('CUSTOMER')
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'retries with the same key return the first order',
  })
  @ApiResponse({ status: 201, standardSchema: Order })
  @ApiResponse({
    status: 200,
    description: 'replay of an earlier request with the same Idempotency-Key',
    standardSchema: Order,
  })
  @ApiResponse({
    status: 422,
    description: 'Idempotency-Key reused with a different body',
    standardSchema: ErrorResponse,
  })
  async create(
    @CurrentActor() actor: Actor,
    @Body({ schema: CreateOrderRequest }) body: CreateOrderRequest,
    @IdempotencyKey() key: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Order> {
    const { order, replayed } = await this.placeOrder.place(actor, body, key);
    response.status(replayed ? 200 : 201).setHeader('ETag', entityTag(order.version));
    return order;
  }

  @Get('user/:id')
  @ApiResponse({ status: 200, standardSchema: OrderPage })
  @ApiResponse({ status: 403, description: "another customer's orders", standardSchema: ErrorResponse })
  listForUser(
    @CurrentActor() actor: Actor,
    @Param('id', { schema: Uuid }) userId: string,
    @Query({ schema: ListUserOrdersQuery }) query: ListUserOrdersQuery,
  ): Promise<OrderPage> {
    return this.listUserOrders.list(actor, userId, query);
  }

  @Get(':id')
  @ApiResponse({ status: 200, standardSchema: Order })
  @ApiResponse({ status: 404, description: 'missing, or owned by another customer', standardSchema: ErrorResponse })
  async get(
    @CurrentActor() actor: Actor,
    @Param('id', { schema: Uuid }) orderId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Order> {
    return withEntityTag(response, await this.getOrder.get(actor, orderId));
  }

  @Patch(':id/status')
  @Roles('ADMIN')
  @ApiHeader({ name: 'If-Match', required: false, description: 'the order version the change is based on' })
  @ApiResponse({ status: 200, standardSchema: Order })
  @ApiResponse({ status: 409, description: 'transition not allowed', standardSchema: ErrorResponse })
  @ApiResponse({ status: 412, description: 'If-Match version is stale', standardSchema: ErrorResponse })
  async updateStatus(
    @CurrentActor() actor: Actor,
    @Param('id', { schema: Uuid }) orderId: string,
    @Body({ schema: UpdateOrderStatusRequest }) body: UpdateOrderStatusRequest,
    @ExpectedVersion() expectedVersion: number | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Order> {
    return withEntityTag(response, await this.changeStatus.change(actor, orderId, body.status, expectedVersion));
  }
}

function withEntityTag(response: Response, order: Order): Order {
  response.setHeader('ETag', entityTag(order.version));
  return order;
}
