import type { OrderLifecycleEvent } from '@ordertrack/shared';
import type { OrderState } from '../../domain/orders/order-state.js';
import type { Actor } from '../actor.js';
import type { AuditEntry } from '../ports/audit-trail.port.js';

/**
 * The audit entries for the events one order change produced: a creation, or a status change from the status
 * the previous event (or the loaded state) left the order in.
 */
export function orderAuditEntries(
  before: OrderState | null,
  events: readonly OrderLifecycleEvent[],
  actor: Actor,
): AuditEntry[] {
  let status = before?.status;
  return events.map((event) => {
    const common = {
      occurredAt: new Date(event.timestamp),
      actor: { userId: actor.userId, role: actor.role },
      subject: { type: 'order', id: event.orderId },
    } as const;
    const from = status;
    status = event.status;
    if (event.type === 'created') {
      return {
        ...common,
        action: 'order.created',
        details: {
          orderId: event.orderId,
          eventId: event.eventId,
          version: event.version,
          to: event.status,
          itemCount: event.payload.items.length,
        },
      };
    }
    return {
      ...common,
      action: 'order.status_changed',
      details: {
        orderId: event.orderId,
        eventId: event.eventId,
        version: event.version,
        ...(from === undefined ? {} : { from }),
        to: event.status,
      },
    };
  });
}
