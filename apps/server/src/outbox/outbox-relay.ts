import { Injectable, Logger, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import { AppConfig } from '../config/app-config.js';
import { Clock } from '../application/ports/clock.port.js';
import { EventPublisher } from '../application/ports/event-bus.port.js';
import { OutboxStore } from './outbox-store.port.js';
import { WakeSignal } from './wake-signal.js';

const MAX_BACKOFF_MS = 5000;
const SHUTDOWN_DRAIN_MS = 5000;

/**
 * Where events leave the database: the only producer. It reads committed, unpublished events in position
 * order, hands them to the bus, and marks them published only after the bus accepted them; a failure leaves
 * them unpublished so they are sent again (at least once; consumers deduplicate by eventId).
 */
@Injectable()
export class OutboxRelay implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(OutboxRelay.name);
  private readonly wake = new WakeSignal();
  private running = false;
  private loop: Promise<void> | undefined;
  private stopListening: (() => Promise<void>) | undefined;

  constructor(
    private readonly outbox: OutboxStore,
    private readonly publisher: EventPublisher,
    private readonly clock: Clock,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.env.RELAY_ENABLED) return;
    this.stopListening = await this.outbox.onNewEvents(() => this.wake.notify());
    this.running = true;
    this.loop = this.run();
  }

  /** The first shutdown phase: the drained events still reach sockets, which close in a later phase. */
  async onModuleDestroy(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake.notify();
    await this.loop;
    await this.stopListening?.();
    await this.drain(SHUTDOWN_DRAIN_MS);
  }

  /** Publishes one batch; returns how many events went out. */
  async publishBatch(): Promise<number> {
    const batch = await this.outbox.fetchUnpublished(this.config.env.OUTBOX_BATCH_SIZE);
    if (batch.length === 0) return 0;
    await this.publisher.publish(batch.map((entry) => entry.event));
    await this.outbox.markPublished(
      batch.map((entry) => entry.position),
      this.clock.now(),
    );
    return batch.length;
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        const published = (await this.outbox.isLeader()) ? await this.publishBatch() : 0;
        failures = 0;
        if (published === 0) await this.wake.wait(this.config.env.OUTBOX_POLL_INTERVAL_MS);
      } catch (error) {
        failures += 1;
        this.logger.warn(`outbox relay attempt ${failures} failed, the batch stays unpublished: ${String(error)}`);
        await this.wake.wait(Math.min(MAX_BACKOFF_MS, 50 * 2 ** failures));
      }
    }
  }

  private async drain(deadlineMs: number): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    try {
      while (Date.now() < deadline && (await this.outbox.isLeader()) && (await this.publishBatch()) > 0);
    } catch (error) {
      this.logger.warn(
        `outbox drain at shutdown stopped early; events stay queued for the next start: ${String(error)}`,
      );
    }
  }
}
