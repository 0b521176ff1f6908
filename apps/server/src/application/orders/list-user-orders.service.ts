import { Injectable } from '@nestjs/common';
import type { ListUserOrdersQuery, OrderPage } from '@ordertrack/shared';
import { DomainError } from '../../domain/domain-error.js';
import { isAdmin, type Actor } from '../actor.js';
import { OrderStore } from '../ports/order-store.port.js';
import { decodeCursor, encodeCursor } from './order-cursor.js';
import { toOrderDto } from './order-dto.js';

@Injectable()
export class ListUserOrdersService {
  constructor(private readonly orders: OrderStore) {}

  async list(actor: Actor, userId: string, query: ListUserOrdersQuery): Promise<OrderPage> {
    if (!isAdmin(actor) && actor.userId !== userId) {
      throw new DomainError('FORBIDDEN', 'customers may list only their own orders');
    }
    const after = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const rows = await this.orders.listByUser(userId, after, query.limit + 1);
    const page = rows.slice(0, query.limit);
    const last = page.at(-1);
    return {
      items: page.map(toOrderDto),
      nextCursor: rows.length > query.limit && last !== undefined ? encodeCursor(last) : null,
    };
  }
}
