import { describe, expect, it } from 'vitest';
import { countHits, type KeyHits } from './hit-counts.js';

describe('countHits', () => {
  it('adds each key once and numbers its hits in order, ending at the total', async () => {
    const calls: KeyHits[][] = [];
    const counted = await countHits(
      [
        { key: 'a', ttlMs: 60_000 },
        { key: 'b', ttlMs: 1000 },
        { key: 'a', ttlMs: 60_000 },
        { key: 'a', ttlMs: 60_000 },
      ],
      (keys) => {
        calls.push([...keys]);
        return Promise.resolve([
          { hits: 10, remainingMs: 500 },
          { hits: 1, remainingMs: 1000 },
        ]);
      },
    );
    expect(calls).toEqual([
      [
        { key: 'a', ttlMs: 60_000, count: 3 },
        { key: 'b', ttlMs: 1000, count: 1 },
      ],
    ]);
    expect(counted).toEqual([
      { hits: 8, remainingMs: 500 },
      { hits: 1, remainingMs: 1000 },
      { hits: 9, remainingMs: 500 },
      { hits: 10, remainingMs: 500 },
    ]);
  });

  it('fails the batch when the totals do not match the keys', async () => {
    await expect(countHits([{ key: 'a', ttlMs: 1 }], () => Promise.resolve([]))).rejects.toThrow(
      '1 keys counted, 0 totals returned',
    );
  });
});
