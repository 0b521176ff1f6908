import type { AuditEvent } from '@ordertrack/shared';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AuditPublisher } from '../application/ports/audit-publisher.port.js';
import { Clock } from '../application/ports/clock.port.js';
import { AppConfig } from '../config/app-config.js';
import { AuditOutbox } from './audit-outbox.port.js';
import { OutboxStore } from './outbox-store.port.js';
import { OutboxBatches, RelayLoop } from './relay-loop.js';

const SHUTDOWN_DRAIN_MS = 3000;

/**
 * Publishes the audit trail to the `audit.events` topic, like the outbox relay does order events: unpublished
 * entries in position order, marked published only after the bus acknowledged them. It runs where the outbox
 * relay runs and only while that relay holds leadership. Audit entries are not urgent, so it polls.
 */
@Injectable()
export class AuditRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly loop: RelayLoop;

  constructor(
    audit: AuditOutbox,
    publisher: AuditPublisher,
    outbox: OutboxStore,
    clock: Clock,
    private readonly config: AppConfig,
  ) {
    const publish = (events: AuditEvent[]) => publisher.publish(events);
    const batches = new OutboxBatches(audit, publish, clock, { limit: config.env.OUTBOX_BATCH_SIZE });
    const source = {
      publishBatch: () => batches.step(),
      flush: () => batches.flush(),
      standBy: () => batches.standBy(),
      batchSize: batches.limit,
      isLeader: () => outbox.isLeader(),
    };
    this.loop = new RelayLoop(
      source,
      config.env.OUTBOX_POLL_INTERVAL_MS,
      new Logger(AuditRelay.name),
      config.env.OUTBOX_GATHER_MS,
    );
  }

  onApplicationBootstrap(): void {
    if (this.config.env.RELAY_ENABLED) this.loop.start();
  }

  async onModuleDestroy(): Promise<void> {
    await this.loop.stop(SHUTDOWN_DRAIN_MS);
  }
}
