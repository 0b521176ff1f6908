import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PacedCommits } from './paced-commits.js';

interface Rec {
  topic: string;
  partition: number;
  offset: number;
}

const rec = (partition: number, offset: number): Rec => ({ topic: 't', partition, offset });

/** Commits recorded as they are sent; each resolves or rejects when the test says so. */
function broker(): {
  sent: Rec[][];
  land: (index: number) => void;
  refuse: (index: number, error: Error) => void;
  commit: (records: readonly Rec[]) => Promise<void>;
} {
  const sent: Rec[][] = [];
  const settle: { resolve: () => void; reject: (error: Error) => void }[] = [];
  return {
    sent,
    land: (index) => settle[index]?.resolve(),
    refuse: (index, error) => settle[index]?.reject(error),
    commit: (records) =>
      new Promise<void>((resolve, reject) => {
        sent.push([...records]);
        settle.push({ resolve, reject });
      }),
  };
}

/** Paced commits whose first commit (partition 0, offset 1) went out at once, as the first one does. */
async function afterFirstCommit(intervalMs: number, onFailure: (error: Error) => void = () => undefined) {
  const kafka = broker();
  const commits = new PacedCommits({ intervalMs, commit: kafka.commit, onFailure });
  commits.handled([rec(0, 1)]);
  await vi.advanceTimersByTimeAsync(0);
  return { kafka, commits };
}

describe('PacedCommits', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('sends the first commit at once and the newest record of each partition', async () => {
    const kafka = broker();
    const commits = new PacedCommits({ intervalMs: 100, commit: kafka.commit, onFailure: () => undefined });
    commits.handled([rec(0, 1), rec(1, 5), rec(0, 2)]);
    await vi.advanceTimersByTimeAsync(0);
    expect(kafka.sent).toEqual([[rec(0, 2), rec(1, 5)]]);
  });

  it('gathers what is handled within an interval into one commit', async () => {
    const { kafka, commits } = await afterFirstCommit(100);
    kafka.land(0);
    commits.handled([rec(0, 2)]);
    commits.handled([rec(1, 7)]);
    commits.handled([rec(0, 3)]);
    await vi.advanceTimersByTimeAsync(99);
    expect(kafka.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(kafka.sent).toEqual([[rec(0, 1)], [rec(0, 3), rec(1, 7)]]);
  });

  it('starts a commit only after the one before landed', async () => {
    const { kafka, commits } = await afterFirstCommit(10);
    commits.handled([rec(0, 2)]);
    await vi.advanceTimersByTimeAsync(50);
    expect(kafka.sent).toHaveLength(1);
    kafka.land(0);
    await vi.advanceTimersByTimeAsync(0);
    expect(kafka.sent).toEqual([[rec(0, 1)], [rec(0, 2)]]);
  });

  it('flush sends what waits now and resolves when it landed', async () => {
    const { kafka, commits } = await afterFirstCommit(1000);
    kafka.land(0);
    commits.handled([rec(0, 4)]);
    let flushed = false;
    const flushing = commits.flush().then(() => (flushed = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(kafka.sent).toEqual([[rec(0, 1)], [rec(0, 4)]]);
    expect(flushed).toBe(false);
    kafka.land(1);
    await flushing;
    expect(flushed).toBe(true);
  });

  it('reports a failed commit once, drops what waits and commits nothing more', async () => {
    const failures: Error[] = [];
    const { kafka, commits } = await afterFirstCommit(10, (error) => failures.push(error));
    commits.handled([rec(0, 2)]);
    kafka.refuse(0, new Error('rebalancing'));
    await vi.advanceTimersByTimeAsync(50);
    commits.handled([rec(0, 3)]);
    await vi.advanceTimersByTimeAsync(50);
    expect(failures.map((error) => error.message)).toEqual(['rebalancing']);
    expect(kafka.sent).toEqual([[rec(0, 1)]]);
    await expect(commits.flush()).rejects.toThrow('rebalancing');
  });

  it('commits nothing after cancel', async () => {
    const { kafka, commits } = await afterFirstCommit(100);
    kafka.land(0);
    commits.handled([rec(0, 2)]);
    commits.cancel();
    await vi.advanceTimersByTimeAsync(500);
    expect(kafka.sent).toEqual([[rec(0, 1)]]);
  });
});
