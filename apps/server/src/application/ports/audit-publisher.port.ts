import type { AuditEvent } from '@ordertrack/shared';

/** Hands audit events to the `audit.events` topic; resolves only once the bus has them. Bound in Kafka mode only. */
export abstract class AuditPublisher {
  abstract publish(events: readonly AuditEvent[]): Promise<void>;
}
