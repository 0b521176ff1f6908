import { describe, expect, it } from 'vitest';
import { assignedPartitionLags, isStalled } from './consumer-lag.js';

describe('assignedPartitionLags', () => {
  it('keeps only the partitions assigned to this member, as numbers', () => {
    const lag = new Map([
      ['order.created', [3n, -1n, 0n]],
      ['order.updated', [-1n, 7n, -1n]],
    ]);
    const assignments = [
      { topic: 'order.created', partitions: [0, 2] },
      { topic: 'order.updated', partitions: [1] },
    ];
    expect(assignedPartitionLags(lag, assignments)).toEqual([
      { topic: 'order.created', partition: 0, lag: 3 },
      { topic: 'order.created', partition: 2, lag: 0 },
      { topic: 'order.updated', partition: 1, lag: 7 },
    ]);
  });

  it('skips partitions the lag map does not know or marks as unassigned', () => {
    const lag = new Map([['order.created', [-1n]]]);
    const assignments = [
      { topic: 'order.created', partitions: [0, 5] },
      { topic: 'order.canceled', partitions: [0] },
    ];
    expect(assignedPartitionLags(lag, assignments)).toEqual([]);
  });
});

describe('isStalled', () => {
  const base = { now: 100_000, stallAfterMs: 20_000 };

  it('is stalled when records waited for the whole window while the loop waited for them', () => {
    expect(isStalled({ ...base, waitingSince: 80_000, waitingRecords: 4 })).toBe(true);
  });

  it('is not stalled before the window is over', () => {
    expect(isStalled({ ...base, waitingSince: 80_001, waitingRecords: 4 })).toBe(false);
  });

  it('is not stalled when nothing waits', () => {
    expect(isStalled({ ...base, waitingSince: 0, waitingRecords: 0 })).toBe(false);
  });

  it('is not stalled while a batch is being handled, however long it takes', () => {
    expect(isStalled({ ...base, waitingSince: undefined, waitingRecords: 4 })).toBe(false);
  });
});
