import type { AuditEvent } from '@ordertrack/shared';

/** One audited write, as the application states it; the trail assigns its id. */
export type AuditEntry = Omit<AuditEvent, 'id' | 'occurredAt'> & { occurredAt: Date };

/**
 * The append-only audit trail. Order changes are audited by the order store inside their own transaction
 * (see OrderStore.execute's actor); everything else is recorded here on its own.
 */
export abstract class AuditTrail {
  abstract record(entry: AuditEntry): Promise<void>;
  /** Every audit event about the order, oldest first. */
  abstract forOrder(orderId: string): Promise<AuditEvent[]>;
}
