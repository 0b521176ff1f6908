import type { Logger } from '@nestjs/common';
import { WakeSignal } from './wake-signal.js';

const MAX_BACKOFF_MS = 5000;

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
