import type { Logger } from '@nestjs/common';
import type { Clock } from '../application/ports/clock.port.js';
import { WakeSignal } from './wake-signal.js';

const MAX_BACKOFF_MS = 5000;
/** How long published rows may stay unmarked while the relay waits to apply the marks at its next step. */
const MARK_WITHIN_MS = 20;

/** A table read as an outbox: rows handed to the bus are marked published, the rest are read again. */
export interface PublishableOutbox<Event> {
  fetchUnpublished(limit: number): Promise<{ position: number; event: Event }[]>;
  markPublished(positions: readonly number[], at: Date): Promise<void>;
}

/**
 * A relay's steps over its outbox. Each step marks the batch the previous step published (with the time the bus
 * acknowledged it) and fetches the next one, then hands that to `publish`; the marks of its last batch go with its
 * next step, or with `flush` when the relay goes idle. A failed publish leaves its batch unmarked, to be fetched
 * again (at least once).
 */
export class OutboxBatches<Event> {
  private published: { positions: number[]; at: Date } | undefined;

  constructor(
    private readonly outbox: PublishableOutbox<Event>,
    private readonly publish: (events: Event[]) => Promise<void>,
    private readonly clock: Clock,
    readonly limit: number,
  ) {}

  /** Publishes one batch; returns how many went out (0 = nothing waiting). */
  async step(): Promise<number> {
    await this.flush();
    const batch = await this.outbox.fetchUnpublished(this.limit);
    if (batch.length === 0) return 0;
    await this.publish(batch.map((entry) => entry.event));
    this.published = { positions: batch.map((entry) => entry.position), at: this.clock.now() };
    return batch.length;
  }

  /** Applies the marks still held (a relay stopping, or losing leadership, between steps). */
  async flush(): Promise<void> {
    if (this.published === undefined) return;
    await this.outbox.markPublished(this.published.positions, this.published.at);
    this.published = undefined;
  }
}

export interface RelaySource {
  /** Publishes one batch; returns how many went out (0 = nothing waiting). */
  publishBatch(): Promise<number>;
  /** A batch this size may have left rows behind; a smaller one took every row committed before it was fetched. */
  readonly batchSize: number;
  /** Marks published what was published but not yet marked. */
  flush(): Promise<void>;
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

  /**
   * `gatherMs`: under load, a step starts at least this long after the previous one did, so that one fetch and one
   * publish carry every event committed meanwhile instead of one statement and one send per commit (embedded, the
   * relay's fetch queues behind the very writes it reads: it was half of PGlite's statements under order load).
   */
  constructor(
    private readonly source: RelaySource,
    private readonly pollIntervalMs: number,
    private readonly logger: Logger,
    private readonly gatherMs = 0,
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
      const started = Date.now();
      try {
        let published = 0;
        if (await this.source.isLeader()) published = await this.source.publishBatch();
        else await this.source.flush();
        failures = 0;
        // Rows committed after a partial batch was fetched wake the loop (NOTIFY), or the next poll finds them. Under
        // load the wake-up comes at once and the next step carries the marks; a relay going idle applies them first.
        if (published < this.source.batchSize && !(await this.wake.wait(MARK_WITHIN_MS))) {
          await this.source.flush();
          await this.wake.wait(this.pollIntervalMs);
        }
        const gathering = this.gatherMs - (Date.now() - started);
        if (published > 0 && published < this.source.batchSize && gathering > 0 && this.running)
          await new Promise((resolve) => setTimeout(resolve, gathering));
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
      await this.source.flush();
    } catch (error) {
      this.logger.warn(`drain at shutdown stopped early; the rest stays queued for the next start: ${String(error)}`);
    }
  }
}
