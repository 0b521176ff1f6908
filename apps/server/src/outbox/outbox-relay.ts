import type { OrderLifecycleEvent } from '@ordertrack/shared';
import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { Clock } from '../application/ports/clock.port.js';
import { EventPublisher } from '../application/ports/event-bus.port.js';
import { OrderWriteGate } from '../application/orders/order-write-gate.js';
import { CommittedEntries } from './committed-entries.js';
import { OutboxStore } from './outbox-store.port.js';
import { OutboxBatches, RelayLoop } from './relay-loop.js';
import { settleWithin } from './settle-within.js';

const SHUTDOWN_DRAIN_MS = 5000;
/**
 * Under load, published events are marked at most this often: a mark is a write of its own, and the marks of every
 * batch published meanwhile go together. A crash before a mark means those events are published again (at least
 * once), as with any lost mark.
 */
const MARK_EVERY_MS = 20;

/**
 * Where events leave the database: the only producer. It takes committed, unpublished events in position
 * order, hands them to the bus, and marks them published only after the bus accepted them; a failure leaves
 * them unpublished so they are sent again (at least once; consumers deduplicate by eventId). What this process
 * commits is handed to it straight from the commit (CommittedEntries); it reads the table for what others
 * committed (their notifications carry another writer id), after a failure, and at every poll interval.
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly loop: RelayLoop;
  private readonly batches: OutboxBatches<OrderLifecycleEvent>;
  private stopListening: (() => Promise<void>) | undefined;
  private stopReceiving: (() => void) | undefined;

  constructor(
    private readonly outbox: OutboxStore,
    publisher: EventPublisher,
    clock: Clock,
    private readonly config: AppConfig,
    private readonly writes: OrderWriteGate,
    private readonly committed: CommittedEntries,
  ) {
    const publish = (events: OrderLifecycleEvent[]) => publisher.publish(events);
    this.batches = new OutboxBatches(outbox, publish, clock, {
      limit: config.env.OUTBOX_BATCH_SIZE,
      readEveryMs: config.env.OUTBOX_POLL_INTERVAL_MS,
      markEveryMs: MARK_EVERY_MS,
    });
    const source = {
      publishBatch: () => this.publishBatch(),
      flush: () => this.batches.flush(),
      standBy: () => this.batches.standBy(),
      batchSize: this.batches.limit,
      isLeader: async () => {
        const leading = await this.outbox.isLeader();
        this.committed.leads(leading);
        return leading;
      },
    };
    this.loop = new RelayLoop(
      source,
      config.env.OUTBOX_POLL_INTERVAL_MS,
      new Logger(OutboxRelay.name),
      config.env.OUTBOX_GATHER_MS,
    );
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.env.RELAY_ENABLED) return;
    this.stopReceiving = this.committed.receive((entries) => {
      this.batches.hand(entries);
      this.loop.notify();
    });
    // This process's own commits were handed over already; only someone else's need the table read.
    this.stopListening = await this.outbox.onNewEvents((writer) => {
      if (writer === this.committed.writerId) return;
      this.batches.readTable();
      this.loop.notify();
    });
    this.loop.start();
  }

  /**
   * The first shutdown phase. Order writes are refused from here on and those in flight finish (within the drain's
   * time), so the drain leaves nothing behind; the drained events still reach sockets, which close in a later phase.
   */
  async onModuleDestroy(): Promise<void> {
    await settleWithin(this.writes.close(), SHUTDOWN_DRAIN_MS);
    await this.stopListening?.();
    this.batches.readTable();
    await this.loop.stop(SHUTDOWN_DRAIN_MS);
    this.stopReceiving?.();
  }

  /** Publishes one batch; returns how many events went out. */
  publishBatch(): Promise<number> {
    return this.batches.step();
  }
}
