import type { OrderLifecycleEvent } from '@ordertrack/shared';
import type { PublishedBatch } from './relay-loop.js';

export interface OutboxEntry {
  position: number;
  event: OrderLifecycleEvent;
}

export abstract class OutboxStore {
  /**
   * Unpublished events, oldest position first. Selecting by the "not yet published" marker rather than by
   * "position above the last one seen" means a transaction that commits late is never skipped.
   */
  abstract fetchUnpublished(limit: number): Promise<OutboxEntry[]>;
  abstract markPublished(batches: readonly PublishedBatch[]): Promise<void>;
  abstract countUnpublished(): Promise<number>;
  /**
   * Calls `wake` whenever events were committed, with the writer id the committing statement signed its
   * notification with (see CommittedEntries), or `''` when it is not known (a reconnected listener, an older
   * writer); returns a function that stops listening.
   */
  abstract onNewEvents(wake: (writer: string) => void): Promise<() => Promise<void>>;
  abstract isLeader(): Promise<boolean>;
}
