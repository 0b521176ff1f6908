import type { OrderLifecycleEvent } from '@ordertrack/shared';
import type { Client } from '@elastic/elasticsearch';
import type { EventBatchHandler } from '../../../application/ports/event-bus.port.js';
import {
  BulkIndexingError,
  bulkFailures,
  bulkOperations,
  createdAtFromBatch,
  ordersNeedingCreatedAt,
} from './es-bulk.js';
import type { EsIndexNames } from './es-index-definitions.js';
import type { EsIndexMaintenance } from './es-index-maintenance.js';

/** Creation times of orders from the source of truth (PostgreSQL); orders it doesn't know are simply absent. */
export type OrderCreatedAtLookup = (orderIds: readonly string[]) => Promise<Map<string, Date>>;

export interface ElasticsearchIndexerOptions {
  /**
   * Read-your-writes for tests: `wait_for` resolves once a scheduled refresh shows the writes (up to a second),
   * `true` forces one now. Production leaves it off and relies on the periodic refresh.
   */
  refresh?: 'wait_for' | boolean;
}

/**
 * Writes lifecycle events into Elasticsearch: every event into history, and each order's newest state into the
 * current-state index. Idempotent and order-insensitive (see es-bulk.ts), so the bus may redeliver and reorder.
 * Any other failure rejects, which makes the bus deliver the batch again; nothing is logged and dropped.
 */
export class ElasticsearchIndexer {
  constructor(
    private readonly client: Client,
    private readonly names: EsIndexNames,
    private readonly maintenance: EsIndexMaintenance,
    private readonly createdAtOf: OrderCreatedAtLookup,
    private readonly options: ElasticsearchIndexerOptions = {},
  ) {}

  /** The bus-facing handler; bound, so it can be passed to `EventSubscriber.subscribe` as is. */
  readonly handle: EventBatchHandler = (events) => this.index(events);

  async index(events: readonly OrderLifecycleEvent[]): Promise<void> {
    if (events.length === 0) return;
    await this.maintenance.ensureIndices();
    const createdAt = createdAtFromBatch(events);
    const missing = ordersNeedingCreatedAt(events);
    if (missing.length > 0) {
      for (const [orderId, at] of await this.createdAtOf(missing)) createdAt.set(orderId, at);
    }
    const response = await this.client.bulk({
      operations: bulkOperations(this.names, events, createdAt),
      refresh: this.options.refresh ?? false,
    });
    const failures = bulkFailures(response);
    if (failures.length > 0) throw new BulkIndexingError(failures);
  }
}
