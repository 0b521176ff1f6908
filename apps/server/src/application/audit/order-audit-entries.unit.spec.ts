import type { OrderLifecycleEvent } from '@ordertrack/shared';
import { describe, expect, it } from 'vitest';
import { orderAuditEntries } from './order-audit-entries.js';

const ORDER_ID = '11111111-1111-4111-8111-111111111111';
const USER_ID = '22222222-2222-4222-8222-222222222222';
const ADMIN_ID = '33333333-3333-4333-8333-333333333333';

const event = (version: number, type: OrderLifecycleEvent['type'], status: OrderLifecycleEvent['status']) =>
  ({
    eventId: `00000000-0000-4000-8000-00000000000${version}`,
    orderId: ORDER_ID,
    userId: USER_ID,
    type,
    status,
    version,
    timestamp: '2026-11-05T10:00:00.000Z',
    payload: { items: [{ productId: 'ESP-001', qty: 1 }] },
  }) satisfies OrderLifecycleEvent;

describe('orderAuditEntries', () => {
  it('audits a creation with the customer as actor and no personal data', () => {
    const [entry] = orderAuditEntries(null, [event(1, 'created', 'CREATED')], { userId: USER_ID, role: 'CUSTOMER' });
    expect(entry).toEqual({
      occurredAt: new Date('2026-11-05T10:00:00.000Z'),
      action: 'order.created',
      actor: { userId: USER_ID, role: 'CUSTOMER' },
      subject: { type: 'order', id: ORDER_ID },
      details: {
        orderId: ORDER_ID,
        eventId: event(1, 'created', 'CREATED').eventId,
        version: 1,
        to: 'CREATED',
        itemCount: 1,
      },
    });
  });

  it('audits status changes from the status the order was in', () => {
    const before = {
      id: ORDER_ID,
      userId: USER_ID,
      status: 'ACCEPTED' as const,
      items: [],
      version: 2,
      createdAt: new Date(),
      updatedAt: new Date(),
    };
    const entries = orderAuditEntries(before, [event(3, 'updated', 'PREPARED'), event(4, 'updated', 'SHIPPED')], {
      userId: ADMIN_ID,
      role: 'ADMIN',
    });
    expect(entries.map((entry) => [entry.action, entry.details.from, entry.details.to])).toEqual([
      ['order.status_changed', 'ACCEPTED', 'PREPARED'],
      ['order.status_changed', 'PREPARED', 'SHIPPED'],
    ]);
  });
});
