import { describe, expect, it } from 'vitest';
import { describeSpread, windowP99Spread, type TimedPush } from './window-percentiles.js';

/** `count` pushes sent evenly over [fromMs, fromMs + 1000), each taking `latencyMs`, the last one `slowMs`. */
function second(fromMs: number, count: number, latencyMs: number, slowMs = latencyMs): TimedPush[] {
  return Array.from({ length: count }, (_, index) => {
    const at = fromMs + (index * 1000) / count;
    return { at, receivedAt: at + (index === count - 1 ? slowMs : latencyMs) };
  });
}

describe('windowP99Spread', () => {
  it('takes each window’s p99 (one slow push in 200 is above it) and reports their median and range', () => {
    const pushes = [...second(0, 200, 2), ...second(1000, 200, 5), ...second(2000, 200, 3, 400)];
    const spread = windowP99Spread(pushes, 0, 1000);
    expect(spread?.windows).toBe(3);
    expect(spread?.lowestMs).toBeCloseTo(2, 1);
    expect(spread?.medianMs).toBeCloseTo(3, 1);
    expect(spread?.highestMs).toBeCloseTo(5, 1);
  });

  it('sees a slow stretch that a whole-phase p99 blends in', () => {
    const slowSecond = second(1000, 200, 250);
    const spread = windowP99Spread([...second(0, 200, 2), ...slowSecond, ...second(2000, 200, 2)], 0, 1000);
    expect(spread?.medianMs).toBeCloseTo(2, 1);
    expect(spread?.highestMs).toBeCloseTo(250, 0);
  });

  it('leaves out pushes never received and windows of fewer than 100 pushes', () => {
    const unreceived = { at: 10 };
    expect(windowP99Spread([...second(0, 99, 2), unreceived], 0, 1000)).toBeUndefined();
    expect(windowP99Spread([...second(0, 100, 2), ...second(1000, 50, 900)], 0, 1000)?.windows).toBe(1);
  });

  it('describes the spread, or says there was none to take', () => {
    expect(describeSpread({ windows: 12, medianMs: 42.14, lowestMs: 18, highestMs: 209.26 }, 5000)).toBe(
      'p99 of each 5 s window: median 42.1 ms, 18.0-209.3 ms over 12 windows',
    );
    expect(describeSpread(undefined, 5000)).toBe('no 5 s window held 100 pushes');
  });
});
