import type { Provider } from '@nestjs/common';
import { ORDER_EVENT_TOPICS } from '@ordertrack/shared';
import { InProcessEventBus } from '../adapters/bus/in-process-event-bus.js';
import { AuditTrail } from '../application/ports/audit-trail.port.js';
import { EventPublisher, EventSubscriber } from '../application/ports/event-bus.port.js';
import { OrderSearch } from '../application/ports/order-search.port.js';
import { OrderStore } from '../application/ports/order-store.port.js';
import { UserStore } from '../application/ports/user-store.port.js';
import { OutboxStore } from '../outbox/outbox-store.port.js';
import { MeteredEventPublisher, MeteredEventSubscriber } from './metered-event-bus.js';
import { MeteredOrderStore } from './metered-order-store.js';
import type { AppMetrics } from './metrics.js';
import { timeAsyncMethods } from './timed.js';

type Decorate = (adapter: unknown, metrics: AppMetrics) => unknown;

/** Which port gets which measuring wrapper. Ports not listed here are bound unchanged. */
const DECORATORS = new Map<unknown, Decorate>([
  [OrderStore, (store, metrics) => new MeteredOrderStore(store as OrderStore, metrics)],
  [UserStore, (store, metrics) => timeAsyncMethods(store as UserStore, 'user_store', metrics.dbQueryDuration)],
  [OutboxStore, (store, metrics) => timeAsyncMethods(store as OutboxStore, 'outbox_store', metrics.dbQueryDuration)],
  [AuditTrail, (store, metrics) => timeAsyncMethods(store as AuditTrail, 'audit_trail', metrics.dbQueryDuration)],
  [
    OrderSearch,
    (search, metrics) => timeAsyncMethods(search as OrderSearch, 'order_search', metrics.searchQueryDuration),
  ],
  [EventPublisher, (bus, metrics) => new MeteredEventPublisher(bus as EventPublisher, metrics)],
  [
    EventSubscriber,
    (bus, metrics) =>
      new MeteredEventSubscriber(bus as EventSubscriber, metrics, {
        zeroLagTopics: bus instanceof InProcessEventBus ? Object.values(ORDER_EVENT_TOPICS) : [],
      }),
  ],
]);

/**
 * Returns the adapter bindings with every measured port wrapped in its metrics decorator, so the adapters and
 * the domain stay free of instrumentation and the module's binding list stays the one place adapters are chosen.
 * Handles `useValue` and `useFactory` bindings (a class binding cannot be wrapped without knowing its deps).
 */
export function instrumentPorts(providers: readonly Provider[], metrics: AppMetrics): Provider[] {
  return providers.map((provider) => {
    if (typeof provider === 'function' || !DECORATORS.has(provider.provide)) return provider;
    const decorate = DECORATORS.get(provider.provide) as Decorate;
    if ('useValue' in provider) return { ...provider, useValue: decorate(provider.useValue, metrics) };
    if ('useFactory' in provider) {
      const factory = provider.useFactory;
      return {
        ...provider,
        useFactory: async (...deps: unknown[]) => decorate(await factory(...deps), metrics),
      };
    }
    throw new Error(
      `cannot instrument the ${String(provider.provide)} binding: bind it with useValue or useFactory so its metrics wrapper applies`,
    );
  });
}
