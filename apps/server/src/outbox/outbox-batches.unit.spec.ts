import { describe, expect, it } from 'vitest';
import { Clock } from '../application/ports/clock.port.js';
import { OutboxBatches, type PublishableOutbox, type PublishedBatch } from './relay-loop.js';

class FixedClock extends Clock {
  now(): Date {
    return new Date('2026-03-01T12:00:00.000Z');
  }
}

class ManualClock extends Clock {
  ms = 0;

  now(): Date {
    return new Date(this.ms);
  }
}

/** Rows 1..n in memory; records every mark the batches apply. */
class MemoryOutbox implements PublishableOutbox<string> {
  readonly published = new Set<number>();
  /** The positions of each mark, one entry per write. */
  readonly marks: number[][] = [];
  readonly markedAt = new Map<number, number>();
  reads = 0;

  constructor(protected rows: number) {}

  commit(rows: number): void {
    this.rows += rows;
  }

  fetchUnpublished(limit: number): Promise<{ position: number; event: string }[]> {
    this.reads += 1;
    const positions = Array.from({ length: this.rows }, (_, index) => index + 1);
    const unpublished = positions.filter((position) => !this.published.has(position)).slice(0, limit);
    return Promise.resolve(unpublished.map((position) => ({ position, event: `event ${position}` })));
  }

  markPublished(batches: readonly PublishedBatch[]): Promise<void> {
    this.marks.push(batches.flatMap((batch) => batch.positions));
    for (const { positions, at } of batches) {
      for (const position of positions) {
        this.published.add(position);
        this.markedAt.set(position, at.getTime());
      }
    }
    return Promise.resolve();
  }
}

/** Marks land only when the test says: each mark waits for `land()` (or fails with `fail()`). */
class SlowMarkOutbox extends MemoryOutbox {
  private pending: { batches: readonly PublishedBatch[]; resolve: () => void; reject: (error: Error) => void }[] = [];

  override markPublished(batches: readonly PublishedBatch[]): Promise<void> {
    return new Promise((resolve, reject) => this.pending.push({ batches, resolve, reject }));
  }

  get marksInFlight(): number {
    return this.pending.length;
  }

  land(): void {
    for (const mark of this.pending.splice(0)) {
      void super.markPublished(mark.batches);
      mark.resolve();
    }
  }

  fail(): void {
    for (const mark of this.pending.splice(0)) mark.reject(new Error('database busy'));
  }
}

/** Records the batches it is handed; rejects them while `broker.down`. */
function failingPublisher() {
  const broker = { down: true };
  const handed: string[][] = [];
  const publish = (events: string[]): Promise<void> => {
    if (broker.down) return Promise.reject(new Error('broker down'));
    handed.push(events);
    return Promise.resolve();
  };
  return { handed, publish, broker };
}

/** Lets the microtasks of the steps in flight run (in-memory I/O settles within them). */
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('OutboxBatches', () => {
  it('marks each published batch with the next fetch, and the last one when nothing is left', async () => {
    const outbox = new MemoryOutbox(5);
    const handed: string[][] = [];
    const batches = new OutboxBatches(outbox, (events) => Promise.resolve(void handed.push(events)), new FixedClock(), {
      limit: 2,
    });
    expect([await batches.step(), await batches.step(), await batches.step(), await batches.step()]).toEqual([
      2, 2, 1, 0,
    ]);
    expect(handed.flat()).toEqual(['event 1', 'event 2', 'event 3', 'event 4', 'event 5']);
    expect(outbox.marks).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('leaves a batch whose publish failed unmarked, so the next step hands it over again', async () => {
    const outbox = new MemoryOutbox(2);
    const { handed, publish, broker } = failingPublisher();
    const batches = new OutboxBatches(outbox, publish, new FixedClock(), { limit: 10 });
    await expect(batches.step()).rejects.toThrow('broker down');
    broker.down = false;
    expect(await batches.step()).toBe(2);
    expect(handed).toEqual([['event 1', 'event 2']]);
    expect(outbox.published.size).toBe(0);
    await batches.flush();
    expect([...outbox.published]).toEqual([1, 2]);
    await batches.flush();
    expect(outbox.marks).toHaveLength(1);
  });

  it('publishes the next batch while the mark of the one before is on its way, without publishing that one twice', async () => {
    const outbox = new SlowMarkOutbox(2);
    const handed: string[][] = [];
    const batches = new OutboxBatches(outbox, (events) => Promise.resolve(void handed.push(events)), new FixedClock(), {
      limit: 10,
    });
    expect(await batches.step()).toBe(2);
    outbox.commit(1);
    const second = batches.step();
    await settle();
    // Rows 1 and 2 are still unmarked, so the fetch read them again; only row 3 went out, before the mark landed.
    expect(handed).toEqual([['event 1', 'event 2'], ['event 3']]);
    expect(outbox.marksInFlight).toBe(1);
    outbox.land();
    expect(await second).toBe(3);
    const flushed = batches.flush();
    outbox.land();
    await flushed;
    expect(outbox.marks).toEqual([[1, 2], [3]]);
  });

  it('applies a mark that failed with the next step, and keeps its rows from being published again', async () => {
    const outbox = new SlowMarkOutbox(2);
    const handed: string[][] = [];
    const batches = new OutboxBatches(outbox, (events) => Promise.resolve(void handed.push(events)), new FixedClock(), {
      limit: 10,
    });
    await batches.step();
    const failing = batches.step();
    await settle();
    outbox.fail();
    await expect(failing).rejects.toThrow('database busy');
    const retry = batches.step();
    await settle();
    outbox.land();
    expect(await retry).toBe(2);
    expect(handed).toEqual([['event 1', 'event 2']]);
    expect(outbox.marks).toEqual([[1, 2]]);
  });

  it('reports a mark that failed during the publish of its step as that step failing, not as an unhandled rejection', async () => {
    const outbox = new SlowMarkOutbox(1);
    const held: (() => void)[] = [];
    let holdPublishes = false;
    const publish = (): Promise<void> =>
      holdPublishes ? new Promise((resolve) => held.push(() => resolve())) : Promise.resolve();
    const batches = new OutboxBatches(outbox, publish, new FixedClock(), { limit: 10 });
    await batches.step();
    outbox.commit(1);
    holdPublishes = true;
    const unhandled: unknown[] = [];
    const recordUnhandled = (reason: unknown) => unhandled.push(reason);
    process.on('unhandledRejection', recordUnhandled);
    try {
      const step = batches.step();
      await settle();
      expect(held).toHaveLength(1);
      outbox.fail();
      // Node reports a rejection without a handler once the microtasks after it ran: give it those turns.
      await settle();
      await settle();
      for (const release of held) release();
      await expect(step).rejects.toThrow('database busy');
      expect(unhandled).toEqual([]);
    } finally {
      process.off('unhandledRejection', recordUnhandled);
    }
  });

  it('publishes what it is handed without reading the table, and reads it when asked', async () => {
    const outbox = new MemoryOutbox(2);
    const handed: string[][] = [];
    const publish = (events: string[]) => Promise.resolve(void handed.push(events));
    const batches = new OutboxBatches(outbox, publish, new FixedClock(), { limit: 10, readEveryMs: 60_000 });
    expect(await batches.step()).toBe(2);
    outbox.commit(2);
    batches.hand([{ position: 3, event: 'event 3' }]);
    expect(await batches.step()).toBe(1);
    expect(outbox.reads).toBe(1);
    // Row 4 was committed by someone else, and row 3 is handed again by a late hand-over: each goes out once.
    batches.hand([{ position: 3, event: 'event 3' }]);
    batches.readTable();
    await batches.step();
    await batches.flush();
    expect(outbox.reads).toBe(2);
    expect(handed).toEqual([['event 1', 'event 2'], ['event 3'], ['event 4']]);
    expect(outbox.marks.flat()).toEqual([1, 2, 3, 4]);
  });

  it('reads the table after a failed publish of what it was handed, and leaves hand-overs to the leader', async () => {
    const outbox = new MemoryOutbox(0);
    const { handed, publish, broker } = failingPublisher();
    const batches = new OutboxBatches(outbox, publish, new FixedClock(), { limit: 10, readEveryMs: 60_000 });
    await batches.step();
    outbox.commit(1);
    batches.hand([{ position: 1, event: 'event 1' }]);
    await expect(batches.step()).rejects.toThrow('broker down');
    broker.down = false;
    await batches.step();
    expect(handed).toEqual([['event 1']]);
    expect(outbox.reads).toBe(2);

    outbox.commit(1);
    batches.hand([{ position: 2, event: 'event 2' }]);
    await batches.standBy();
    expect(await batches.step()).toBe(1);
    expect(outbox.reads).toBe(3);
    expect(handed).toEqual([['event 1'], ['event 2']]);
  });

  it('under load, marks the batches of one mark interval in one write, each with its own time', async () => {
    const outbox = new MemoryOutbox(1);
    const clock = new ManualClock();
    const handed: string[][] = [];
    const publish = (events: string[]) => Promise.resolve(void handed.push(events));
    const batches = new OutboxBatches(outbox, publish, clock, { limit: 10, markEveryMs: 20 });
    for (const ms of [0, 5, 10, 15]) {
      clock.ms = ms;
      if (ms > 0) outbox.commit(1);
      await batches.step();
    }
    clock.ms = 25;
    expect(await batches.step()).toBe(0);
    expect(handed).toEqual([['event 1'], ['event 2'], ['event 3'], ['event 4']]);
    expect(outbox.marks).toEqual([[1], [2, 3, 4]]);
    expect([2, 3, 4].map((position) => outbox.markedAt.get(position))).toEqual([5, 10, 15]);
  });
});
