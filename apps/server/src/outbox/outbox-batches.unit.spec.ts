import { describe, expect, it } from 'vitest';
import { Clock } from '../application/ports/clock.port.js';
import { OutboxBatches, type PublishableOutbox } from './relay-loop.js';

class FixedClock extends Clock {
  now(): Date {
    return new Date('2026-03-01T12:00:00.000Z');
  }
}

/** Rows 1..n in memory; records every mark the batches apply. */
class MemoryOutbox implements PublishableOutbox<string> {
  readonly published = new Set<number>();
  readonly marks: number[][] = [];

  constructor(private readonly rows: number) {}

  fetchUnpublished(limit: number): Promise<{ position: number; event: string }[]> {
    const positions = Array.from({ length: this.rows }, (_, index) => index + 1);
    const unpublished = positions.filter((position) => !this.published.has(position)).slice(0, limit);
    return Promise.resolve(unpublished.map((position) => ({ position, event: `event ${position}` })));
  }

  markPublished(positions: readonly number[]): Promise<void> {
    this.marks.push([...positions]);
    for (const position of positions) this.published.add(position);
    return Promise.resolve();
  }
}

describe('OutboxBatches', () => {
  it('marks each published batch with the next fetch, and the last one when nothing is left', async () => {
    const outbox = new MemoryOutbox(5);
    const handed: string[][] = [];
    const batches = new OutboxBatches(
      outbox,
      (events) => Promise.resolve(void handed.push(events)),
      new FixedClock(),
      2,
    );
    expect([await batches.step(), await batches.step(), await batches.step(), await batches.step()]).toEqual([
      2, 2, 1, 0,
    ]);
    expect(handed.flat()).toEqual(['event 1', 'event 2', 'event 3', 'event 4', 'event 5']);
    expect(outbox.marks).toEqual([[1, 2], [3, 4], [5]]);
  });

  it('leaves a batch whose publish failed unmarked, so the next step hands it over again', async () => {
    const outbox = new MemoryOutbox(2);
    let fail = true;
    const handed: string[][] = [];
    const publish = (events: string[]): Promise<void> => {
      if (fail) return Promise.reject(new Error('broker down'));
      handed.push(events);
      return Promise.resolve();
    };
    const batches = new OutboxBatches(outbox, publish, new FixedClock(), 10);
    await expect(batches.step()).rejects.toThrow('broker down');
    fail = false;
    expect(await batches.step()).toBe(2);
    expect(handed).toEqual([['event 1', 'event 2']]);
    expect(outbox.published.size).toBe(0);
    await batches.flush();
    expect([...outbox.published]).toEqual([1, 2]);
    await batches.flush();
    expect(outbox.marks).toHaveLength(1);
  });
});
