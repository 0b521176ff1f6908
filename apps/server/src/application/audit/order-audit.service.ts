import { Injectable } from '@nestjs/common';
import type { AuditTrailResponse } from '@ordertrack/shared';
import { DomainError } from '../../domain/domain-error.js';
import { AuditTrail } from '../ports/audit-trail.port.js';
import { OrderStore } from '../ports/order-store.port.js';

/** The audit trail of one order, for admins; an unknown order is NOT_FOUND rather than an empty trail. */
@Injectable()
export class OrderAuditService {
  constructor(
    private readonly orders: OrderStore,
    private readonly audit: AuditTrail,
  ) {}

  async trail(orderId: string): Promise<AuditTrailResponse> {
    if ((await this.orders.findById(orderId)) === null) throw new DomainError('NOT_FOUND', 'order not found');
    return { items: await this.audit.forOrder(orderId) };
  }
}
