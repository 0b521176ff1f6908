import type { OrderLifecycleEvent } from '@ordertrack/shared';

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
  abstract markPublished(positions: readonly number[], at: Date): Promise<void>;
  abstract countUnpublished(): Promise<number>;
  abstract onNewEvents(wake: () => void): Promise<() => Promise<void>>;
  abstract isLeader(): Promise<boolean>;
}
