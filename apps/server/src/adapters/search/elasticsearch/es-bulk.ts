import type { OrderLifecycleEvent } from '@ordertrack/shared';
import type { estypes } from '@elastic/elasticsearch';
import type { EsIndexNames } from './es-index-definitions.js';
import {
  toCurrentOrderDocument,
  toHistoryDocument,
  type CurrentOrderDocument,
  type HistoryDocument,
} from './es-documents.js';

/**
 * Turning a batch of events into bulk operations and judging the bulk's answer; pure, so the rules that make the
 * indexer idempotent are unit-tested without a cluster.
 */

export type BulkLine = estypes.BulkOperationContainer | HistoryDocument | CurrentOrderDocument;

/** The newest event per order in the batch: older ones can't change the current document, so they are not sent. */
export function latestEventPerOrder(events: readonly OrderLifecycleEvent[]): Map<string, OrderLifecycleEvent> {
  const latest = new Map<string, OrderLifecycleEvent>();
  for (const event of events) {
    const known = latest.get(event.orderId);
    if (known === undefined || event.version > known.version) latest.set(event.orderId, event);
  }
  return latest;
}

/** Orders whose creation time the batch itself does not reveal (no version-1 event): ask the source of truth. */
export function ordersNeedingCreatedAt(events: readonly OrderLifecycleEvent[]): string[] {
  const created = new Set(events.filter((event) => event.version === 1).map((event) => event.orderId));
  return [...new Set(events.map((event) => event.orderId))].filter((orderId) => !created.has(orderId));
}

export function createdAtFromBatch(events: readonly OrderLifecycleEvent[]): Map<string, Date> {
  return new Map(
    events.filter((event) => event.version === 1).map((event) => [event.orderId, new Date(event.timestamp)]),
  );
}

/**
 * History: put-if-absent by event id (`create`), so a redelivered event is a 409, not a second document.
 * Current state: external versioning with the order version, so Elasticsearch keeps the highest version it has
 * seen and a late or duplicated event is a 409 instead of rolling the order back.
 */
export function bulkOperations(
  names: EsIndexNames,
  events: readonly OrderLifecycleEvent[],
  createdAt: ReadonlyMap<string, Date>,
): BulkLine[] {
  const lines: BulkLine[] = [];
  for (const event of events) {
    lines.push(
      { create: { _index: names.historyIndexFor(event.timestamp), _id: event.eventId } },
      toHistoryDocument(event),
    );
  }
  for (const latest of latestEventPerOrder(events).values()) {
    const orderCreatedAt = createdAt.get(latest.orderId);
    if (orderCreatedAt === undefined) {
      throw new Error(`no creation time known for order ${latest.orderId}; it must exist in PostgreSQL`);
    }
    lines.push(
      { index: { _index: names.orders, _id: latest.orderId, version: latest.version, version_type: 'external' } },
      toCurrentOrderDocument(latest, orderCreatedAt),
    );
  }
  return lines;
}

export interface BulkItemFailure {
  action: string;
  index: string;
  id: string;
  status: number;
  reason: string;
}

/**
 * The per-item failures that must make the batch fail. A 409 is the expected answer to a duplicate (history
 * create) or a stale version (current state), both already reflected in the index, so it counts as success.
 */
export function bulkFailures(response: estypes.BulkResponse): BulkItemFailure[] {
  if (!response.errors) return [];
  const failures: BulkItemFailure[] = [];
  for (const item of response.items) {
    for (const [action, result] of Object.entries(item)) {
      if (result.error === undefined || result.status === 409) continue;
      failures.push({
        action,
        index: result._index,
        id: result._id ?? '',
        status: result.status,
        reason: `${result.error.type}: ${result.error.reason ?? ''}`,
      });
    }
  }
  return failures;
}

export class BulkIndexingError extends Error {
  override readonly name = 'BulkIndexingError';

  constructor(readonly failures: readonly BulkItemFailure[]) {
    const shown = failures
      .slice(0, 3)
      .map((f) => `${f.action} ${f.index}/${f.id} → ${f.status} ${f.reason}`)
      .join('; ');
    super(`${failures.length} bulk item(s) failed: ${shown}${failures.length > 3 ? '; …' : ''}`);
  }
}
