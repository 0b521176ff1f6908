import type { AuditEvent } from '@ordertrack/shared';
import type { PublishableOutbox, PublishedBatch } from './relay-loop.js';

export interface AuditOutboxEntry {
  position: number;
  event: AuditEvent;
}

/** The audit trail read as an outbox: `published_at` marks the entries already handed to the `audit.events` topic. */
export abstract class AuditOutbox implements PublishableOutbox<AuditEvent> {
  /** Unpublished audit events, oldest first. */
  abstract fetchUnpublished(limit: number): Promise<AuditOutboxEntry[]>;
  abstract markPublished(batches: readonly PublishedBatch[]): Promise<void>;
}
