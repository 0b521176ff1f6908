import type { Logger } from '@nestjs/common';
import type { Clock } from '../application/ports/clock.port.js';
import { LeastRecentlyUsed } from '../application/least-recently-used.js';
import { WakeSignal } from './wake-signal.js';

const MAX_BACKOFF_MS = 5000;
/** How long published rows may stay unmarked while the relay waits to apply the marks at its next step. */
const MARK_WITHIN_MS = 20;

/** Rows handed to the bus together, and when the bus acknowledged them. */
export interface PublishedBatch {
  positions: readonly number[];
  at: Date;
}

/** A table read as an outbox: rows handed to the bus are marked published, the rest are read again. */
export interface PublishableOutbox<Event> {
  fetchUnpublished(limit: number): Promise<PositionedEvent<Event>[]>;
  /** Marks each batch's rows published at its time, all in one write. */
  markPublished(batches: readonly PublishedBatch[]): Promise<void>;
}

/** An event and its place in the outbox table. */
export interface PositionedEvent<Event> {
  position: number;
  event: Event;
}

/**
 * Hand-overs held beyond this many batches are dropped, and the table is read for them instead; as many batches'
 * positions are remembered as published, so a hand-over that comes after its row was read and marked is not
 * published again.
 */
const MAX_HANDED_BATCHES = 4;

export interface OutboxBatchesOptions {
  /** Rows per read and events per publish at most. */
  limit: number;
  /** 0: every step reads the table. Otherwise at least this often, and when asked to (see OutboxBatches). */
  readEveryMs?: number;
  /** A step applies the marks held only when the last marks started at least this long ago (0: every step). */
  markEveryMs?: number;
}

/**
 * A relay's steps over its outbox. A batch is what the step read from the table plus what this process handed over
 * (`hand`, see CommittedEntries). With `readEveryMs` 0 every step reads the table; otherwise a step reads it only
 * when asked to (`readTable`: someone else committed), on the first step, after a failure, and when that long passed
 * since the last read. Each step publishes its batch while the marks of the batches before it (each with the time
 * the bus acknowledged it) are applied beside it, so a mark never delays a publish; with `markEveryMs`, a step
 * applies them only when the last marks started that long ago, so that under load one write marks several batches.
 * The marks still held go with a later step, or with `flush` when the relay goes idle. Rows already published are
 * left out, wherever they come from, while their mark is on its way. A failed publish leaves its batch unmarked, to
 * be read again; a failed mark is applied again by a later step (at least once either way).
 */
export class OutboxBatches<Event> {
  readonly limit: number;
  private readonly readEveryMs: number;
  private readonly markEveryMs: number;
  private readonly handed: PositionedEvent<Event>[] = [];
  private readRequested = true;
  private lastReadAt = Number.NEGATIVE_INFINITY;
  private lastMarkedAt = Number.NEGATIVE_INFINITY;
  /** Batches published and not yet handed to a mark, in publish order. */
  private readonly unmarkedBatches: PublishedBatch[] = [];
  /** Every position published whose mark has not landed yet: it must not be published again. */
  private readonly awaitingMark = new Set<number>();
  private readonly recentlyPublished: LeastRecentlyUsed<number, true>;

  constructor(
    private readonly outbox: PublishableOutbox<Event>,
    private readonly publish: (events: Event[]) => Promise<void>,
    private readonly clock: Clock,
    { limit, readEveryMs = 0, markEveryMs = 0 }: OutboxBatchesOptions,
  ) {
    this.limit = limit;
    this.readEveryMs = readEveryMs;
    this.markEveryMs = markEveryMs;
    this.recentlyPublished = new LeastRecentlyUsed(limit * MAX_HANDED_BATCHES);
  }

  /** Committed entries, published by the next step without reading them back. */
  hand(entries: readonly PositionedEvent<Event>[]): void {
    if (this.handed.length + entries.length > this.limit * MAX_HANDED_BATCHES) {
      this.readRequested = true;
      return;
    }
    this.handed.push(...entries);
  }

  /** Rows were committed that nobody handed over: the next step reads the table. */
  readTable(): void {
    this.readRequested = true;
  }

  /**
   * Publishes one batch; returns how many entries it took, read or handed (0 = nothing waiting), or `limit` when
   * more may be waiting. Entries left out because their mark was on its way count as taken.
   */
  async step(): Promise<number> {
    const marksDue = this.clock.now().getTime() - this.lastMarkedAt >= this.markEveryMs;
    const marking = marksDue ? this.flush() : Promise.resolve();
    // Both outcomes are observed from the start: a mark can fail while the publish is still in flight, and a
    // rejection nobody is listening to yet would be reported as unhandled (ending the process).
    const [marked, published] = await Promise.allSettled([marking, this.publishNext()]);
    // The step's own failure is the one to report; a failed mark put its batches back to be marked next time.
    if (published.status === 'rejected') throw published.reason;
    if (marked.status === 'rejected') throw marked.reason;
    return published.value;
  }

  /** Applies the marks still held (a relay going idle or stopping). */
  async flush(): Promise<void> {
    const batches = this.unmarkedBatches.splice(0);
    if (batches.length === 0) return;
    this.lastMarkedAt = this.clock.now().getTime();
    try {
      await this.outbox.markPublished(batches);
    } catch (error) {
      this.unmarkedBatches.unshift(...batches);
      throw error;
    }
    for (const batch of batches) for (const position of batch.positions) this.awaitingMark.delete(position);
  }

  /**
   * While another process leads: what this one is handed is left to the leader, which reads it from the table, and
   * this one reads the table itself once it leads again. Its marks still held are applied.
   */
  async standBy(): Promise<void> {
    this.handed.length = 0;
    this.readRequested = true;
    await this.flush();
  }

  private async publishNext(): Promise<number> {
    const handed = this.handed.splice(0, this.limit);
    let read: PositionedEvent<Event>[] = [];
    try {
      const now = this.clock.now().getTime();
      if (this.readEveryMs === 0 || this.readRequested || now - this.lastReadAt >= this.readEveryMs) {
        this.readRequested = false;
        this.lastReadAt = now;
        read = await this.outbox.fetchUnpublished(this.limit);
      }
      const batch = new Map<number, Event>();
      for (const { position, event } of [...read, ...handed]) {
        if (!this.awaitingMark.has(position) && this.recentlyPublished.peek(position) === undefined) {
          batch.set(position, event);
        }
      }
      if (batch.size > 0) {
        const positions = [...batch.keys()].sort((a, b) => a - b);
        await this.publish(positions.map((position) => batch.get(position) as Event));
        for (const position of positions) {
          this.awaitingMark.add(position);
          this.recentlyPublished.set(position, true);
        }
        this.unmarkedBatches.push({ positions, at: this.clock.now() });
      }
    } catch (error) {
      // What was handed over is in the table too.
      this.readRequested = true;
      throw error;
    }
    const moreWaiting = read.length === this.limit || this.handed.length > 0;
    return moreWaiting ? this.limit : Math.max(read.length, handed.length);
  }
}

export interface RelaySource {
  /** Publishes one batch; returns how many went out (0 = nothing waiting). */
  publishBatch(): Promise<number>;
  /** A batch this size may have left rows behind; a smaller one took every row committed before it was fetched. */
  readonly batchSize: number;
  /** Marks published what was published but not yet marked. */
  flush(): Promise<void>;
  /** Called instead of publishing while another process leads (see OutboxBatches.standBy). */
  standBy(): Promise<void>;
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
        else await this.source.standBy();
        failures = 0;
        // Rows committed after a partial batch was taken wake the loop (a hand-over or a NOTIFY), or the next poll
        // finds them. Under load the wake-up comes at once and a later step carries the marks; a relay going idle
        // applies them first.
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
