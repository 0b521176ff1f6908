import { canTransition, eventTypeForStatus, type OrderLifecycleEvent } from '@ordertrack/shared';
import { DomainError } from '../domain-error.js';
import type { ChangeOrderStatus, OrderCommand, PlaceOrder } from './order-commands.js';
import type { OrderState } from './order-state.js';

/** Where orders change state: decide which events a command produces, given the current state. */
export function decide(command: OrderCommand, state: OrderState | null): OrderLifecycleEvent[] {
  switch (command.kind) {
    case 'PlaceOrder':
      return [placeOrder(command, state)];
    case 'ChangeOrderStatus':
      return [changeStatus(command, state)];
  }
}

function placeOrder(command: PlaceOrder, state: OrderState | null): OrderLifecycleEvent {
  if (state !== null) throw new DomainError('ORDER_EXISTS', `order ${command.orderId} already exists`);
  return {
    eventId: command.eventId,
    orderId: command.orderId,
    userId: command.userId,
    type: 'created',
    status: 'CREATED',
    version: 1,
    timestamp: command.at.toISOString(),
    payload: { items: command.items },
  };
}

function changeStatus(command: ChangeOrderStatus, state: OrderState | null): OrderLifecycleEvent {
  if (state === null) throw new DomainError('NOT_FOUND', `order ${command.orderId} not found`);
  if (command.expectedVersion !== undefined && command.expectedVersion !== state.version) {
    throw new DomainError(
      'VERSION_MISMATCH',
      `order ${state.id} is at version ${state.version}, not ${command.expectedVersion}`,
    );
  }
  if (!canTransition(state.status, command.to)) {
    throw new DomainError('INVALID_TRANSITION', `cannot change an order from ${state.status} to ${command.to}`);
  }
  return {
    eventId: command.eventId,
    orderId: state.id,
    userId: state.userId,
    type: eventTypeForStatus(command.to),
    status: command.to,
    version: state.version + 1,
    timestamp: command.at.toISOString(),
    payload: { items: state.items },
  };
}

/** Folds one event into the state; the stored order row is always `events.reduce(evolve, null)`. */
export function evolve(state: OrderState | null, event: OrderLifecycleEvent): OrderState {
  const at = new Date(event.timestamp);
  if (state === null) {
    return {
      id: event.orderId,
      userId: event.userId,
      status: event.status,
      items: event.payload.items,
      version: event.version,
      createdAt: at,
      updatedAt: at,
    };
  }
  return { ...state, status: event.status, items: event.payload.items, version: event.version, updatedAt: at };
}
