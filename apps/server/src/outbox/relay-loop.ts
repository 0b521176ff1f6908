import type { Logger } from '@nestjs/common';
import type { Clock } from '../application/ports/clock.port.js';
import { WakeSignal } from './wake-signal.js';

const MAX_BACKOFF_MS = 5000;

/** A table read as an outbox: rows handed to the bus are marked published, the rest are read again. */
export interface PublishableOutbox<Event> {
  fetchUnpublished(limit: number): Promise<{ position: number; event: Event }[]>;
  markPublished(positions: readonly number[], at: Date): Promise<void>;
}

/**
 * One relay step: the oldest unpublished rows, handed to `publish`, marked published only once it resolved (a
 * failure leaves them unpublished, to be sent again). Returns how many went out.
 */
export async function publishOneBatch<Event>(
  outbox: PublishableOutbox<Event>,
  publish: (events: Event[]) => Promise<void>,
  clock: Clock,
  limit: number,
): Promise<number> {
  const batch = await outbox.fetchUnpublished(limit);
  if (batch.length === 0) return 0;
  await publish(batch.map((entry) => entry.event));
  await outbox.markPublished(
    batch.map((entry) => entry.position),
    clock.now(),
  );
  return batch.length;
}

export interface RelaySource {
  /** Publishes one batch and marks it published; returns how many went out (0 = nothing waiting). */
  publishBatch(): Promise<number>;
  /** Only the relay holding leadership publishes, so one table is never published by two processes at once. */
  isLeader(): Promise<boolean>;
}

/**
 * The loop every outbox relay runs: publish while there is work, sleep until woken or the poll interval passed,
 * back off after a failure (the batch stays unpublished and is tried again), and drain what is left at shutdown.
 */
export class RelayLoop {
  private readonly wake = new WakeSignal();
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly source: RelaySource,
    private readonly pollIntervalMs: number,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.running = true;
    this.loop = this.run();
  }

  notify(): void {
    this.wake.notify();
  }

  /** Stops the loop after the batch in hand, then keeps publishing for up to `drainMs` to leave nothing behind. */
  async stop(drainMs: number): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.wake.notify();
    await this.loop;
    await this.drain(drainMs);
  }

  private async run(): Promise<void> {
    let failures = 0;
    while (this.running) {
      try {
        const published = (await this.source.isLeader()) ? await this.source.publishBatch() : 0;
        failures = 0;
        if (published === 0) await this.wake.wait(this.pollIntervalMs);
      } catch (error) {
        failures += 1;
        this.logger.warn(`relay attempt ${failures} failed, the batch stays unpublished: ${String(error)}`);
        await this.wake.wait(Math.min(MAX_BACKOFF_MS, 50 * 2 ** failures));
      }
    }
  }

  private async drain(deadlineMs: number): Promise<void> {
    const deadline = Date.now() + deadlineMs;
    try {
      while (Date.now() < deadline && (await this.source.isLeader()) && (await this.source.publishBatch()) > 0);
    } catch (error) {
      this.logger.warn(`drain at shutdown stopped early; the rest stays queued for the next start: ${String(error)}`);
    }
  }
}
