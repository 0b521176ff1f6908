import type { Logger } from '@nestjs/common';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { RelayLoop, type RelaySource } from './relay-loop.js';

const BATCH_SIZE = 100;
const logger = { warn: vi.fn() } as unknown as Logger;

/** A source whose every step finds `sizes()` events; records when each step started (fake time). */
function recordingSource(sizes: () => number, onStep: () => void = () => undefined) {
  const starts: number[] = [];
  const source: RelaySource = {
    batchSize: BATCH_SIZE,
    isLeader: () => Promise.resolve(true),
    flush: () => Promise.resolve(),
    standBy: () => Promise.resolve(),
    publishBatch: () => {
      starts.push(Date.now());
      onStep();
      return Promise.resolve(sizes());
    },
  };
  return { source, starts };
}

async function stop(loop: RelayLoop): Promise<void> {
  const stopped = loop.stop(0);
  await vi.advanceTimersByTimeAsync(2000);
  await stopped;
}

describe('relay loop gathering', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('under a steady stream of commits, starts a step at most once per gather window', async () => {
    // Every step publishes one event and a new commit is already waiting (its NOTIFY came during the step).
    const wakeUps: Array<() => void> = [];
    const { source, starts } = recordingSource(
      () => 1,
      () => wakeUps.forEach((wake) => wake()),
    );
    const loop = new RelayLoop(source, 1000, logger, 10);
    wakeUps.push(() => loop.notify());
    loop.start();
    await vi.advanceTimersByTimeAsync(100);
    await stop(loop);
    const first = starts[0] ?? 0;
    const running = starts.filter((at) => at <= first + 100);
    const gaps = running.slice(1).map((at, index) => at - (running[index] ?? 0));
    expect(running.length).toBeGreaterThanOrEqual(9);
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(10);
  });

  it('follows a full batch at once: a backlog is drained without gathering', async () => {
    let full = 3;
    const { source, starts } = recordingSource(() => (full-- > 0 ? BATCH_SIZE : 0));
    const loop = new RelayLoop(source, 1000, logger, 10);
    loop.start();
    await vi.advanceTimersByTimeAsync(1);
    await stop(loop);
    expect(starts.slice(0, 4)).toEqual([starts[0], starts[0], starts[0], starts[0]]);
  });

  it('does not delay a commit that comes after the relay went idle', async () => {
    let waiting = 0;
    const { source, starts } = recordingSource(() => {
      const found = waiting;
      waiting = 0;
      return found;
    });
    const loop = new RelayLoop(source, 1000, logger, 10);
    loop.start();
    await vi.advanceTimersByTimeAsync(50);
    waiting = 1;
    const committedAt = Date.now();
    loop.notify();
    await vi.advanceTimersByTimeAsync(0);
    await stop(loop);
    expect(starts).toContain(committedAt);
  });
});
