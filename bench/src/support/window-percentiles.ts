import { LatencyHistogram, median } from './histogram.js';

/** One push's times, on the bench's clock (ms): when its PATCH was sent and when its socket received it. */
export interface TimedPush {
  at: number;
  receivedAt?: number;
}

export interface WindowSpread {
  windows: number;
  medianMs: number;
  lowestMs: number;
  highestMs: number;
}

/**
 * The p99 of each `windowMs` stretch of a phase (pushes by the time their PATCH was sent, from `startedAt`), and
 * their spread: a phase's p99 on these hosts is often set by a few slow seconds, and the spread tells a phase that
 * was slow throughout from one that was fine but for one stretch. Undefined when no window holds 100 pushes (a p99
 * of fewer is its maximum). Pushes never received are left out: delivery is its own figure.
 */
export function windowP99Spread(
  pushes: Iterable<TimedPush>,
  startedAt: number,
  windowMs: number,
): WindowSpread | undefined {
  const windows = new Map<number, LatencyHistogram>();
  for (const push of pushes) {
    if (push.receivedAt === undefined) continue;
    const index = Math.floor((push.at - startedAt) / windowMs);
    const histogram = windows.get(index) ?? new LatencyHistogram();
    histogram.recordMs(push.receivedAt - push.at);
    windows.set(index, histogram);
  }
  const p99s = [...windows.values()]
    .filter((histogram) => histogram.count >= 100)
    .map((histogram) => histogram.percentileMs(99));
  if (p99s.length === 0) return undefined;
  return { windows: p99s.length, medianMs: median(p99s), lowestMs: Math.min(...p99s), highestMs: Math.max(...p99s) };
}

/** `p99 of each 5 s window: median 42.1 ms, 18.0-209.3 ms over 12 windows`. */
export function describeSpread(spread: WindowSpread | undefined, windowMs: number): string {
  if (spread === undefined) return `no ${windowMs / 1000} s window held 100 pushes`;
  return (
    `p99 of each ${windowMs / 1000} s window: median ${spread.medianMs.toFixed(1)} ms, ` +
    `${spread.lowestMs.toFixed(1)}-${spread.highestMs.toFixed(1)} ms over ${spread.windows} windows`
  );
}
