import { describe, expect, it } from 'vitest';
import { describeChanges, warmupSettling } from './warmup-settling.js';

const slice = (elasticsearch: number, kafka: number) => ({
  cpuPerOrder: { hostMs: 1, hostBusyShare: 0.9, hostStealShare: 0, msByGroup: { app: 0.7, elasticsearch, kafka } },
});

describe('warmupSettling', () => {
  it('cannot judge fewer than four slices', () => {
    expect(warmupSettling([slice(1, 1), slice(0.5, 0.5), slice(0.3, 0.3)])).toBeUndefined();
  });

  it('is not settled while a group still falls by more than a fifth and 0.05 ms (2026-12-07, at 90 s)', () => {
    const settling = warmupSettling([slice(1.0, 0.71), slice(0.69, 0.45), slice(0.51, 0.32), slice(0.43, 0.39)]);
    expect(settling?.settled).toBe(false);
    expect(settling?.changes[0]).toEqual({ group: 'elasticsearch', earlierMs: 0.845, laterMs: 0.47 });
  });

  it('compares only the last four slices, the last two against the two before', () => {
    const settling = warmupSettling([
      slice(1.9, 1.4),
      slice(1.6, 0.8),
      slice(0.28, 0.22),
      slice(0.27, 0.25),
      slice(0.31, 0.2),
      slice(0.2, 0.2),
    ]);
    expect(settling?.settled).toBe(true);
    expect(settling?.changes.map((change) => change.laterMs)).toEqual([0.255, 0.2]);
  });

  it('counts a fall under a fifth as settled, and one under 0.05 ms however large a share', () => {
    expect(warmupSettling([slice(1, 1), slice(1, 1), slice(0.85, 0.85), slice(0.85, 0.85)])?.settled).toBe(true);
    expect(warmupSettling([slice(0.1, 1), slice(0.1, 1), slice(0.06, 1), slice(0.06, 1)])?.settled).toBe(true);
    expect(warmupSettling([slice(1, 1), slice(1, 1), slice(1, 0.75), slice(1, 0.75)])?.settled).toBe(false);
  });

  it('describes each group before and after', () => {
    expect(describeChanges([{ group: 'kafka', earlierMs: 0.235, laterMs: 0.2 }])).toBe(
      'kafka 0.23 → 0.20 ms per order',
    );
  });
});
