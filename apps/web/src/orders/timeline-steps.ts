import { ORDER_TRANSITIONS, type OrderLifecycleEvent, type OrderStatus } from '@ordertrack/shared';

export interface TimelineStep {
  status: OrderStatus;
  /** When the order reached this status; undefined for steps still ahead. */
  at: string | undefined;
}

/** CREATED → … → DELIVERED, following the first non-cancel transition of the shared lifecycle table. */
export function forwardPath(): OrderStatus[] {
  const path: OrderStatus[] = ['CREATED'];
  for (;;) {
    const last = path[path.length - 1] ?? 'CREATED';
    const next = ORDER_TRANSITIONS[last].find((status) => status !== 'CANCELED');
    if (next === undefined || path.includes(next)) return path;
    path.push(next);
  }
}

/**
 * The steps to draw for an order: what it went through, with times, then what is still ahead on the forward path.
 * A canceled order ends at CANCELED with nothing ahead.
 */
export function timelineSteps(history: readonly OrderLifecycleEvent[], currentStatus: OrderStatus): TimelineStep[] {
  const reached = new Map<OrderStatus, string>();
  for (const event of history) reached.set(event.status, event.timestamp);
  const path = forwardPath();
  if (currentStatus === 'CANCELED' || reached.has('CANCELED')) {
    const done = path.filter((status) => reached.has(status));
    return [...done, 'CANCELED' as const].map((status) => ({ status, at: reached.get(status) }));
  }
  return path.map((status) => ({ status, at: reached.get(status) }));
}
