import * as hdr from 'hdr-histogram-js';

export interface LatencySummary {
  count: number;
  p50: number;
  p99: number;
  p999: number;
  max: number;
  mean: number;
}

/** One hour in microseconds: anything slower is recorded as this (and is a failure anyway). */
const HIGHEST_TRACKABLE_US = 3_600_000_000;

/** Latencies in milliseconds, kept at microsecond resolution by an HDR histogram (3 significant digits). */
export class LatencyHistogram {
  private readonly histogram = hdr.build({
    lowestDiscernibleValue: 1,
    highestTrackableValue: HIGHEST_TRACKABLE_US,
    numberOfSignificantValueDigits: 3,
  });

  recordMs(milliseconds: number): void {
    const microseconds = Math.round(milliseconds * 1000);
    this.histogram.recordValue(Math.min(HIGHEST_TRACKABLE_US, Math.max(1, microseconds)));
  }

  get count(): number {
    return this.histogram.totalCount;
  }

  percentileMs(percentile: number): number {
    return this.histogram.getValueAtPercentile(percentile) / 1000;
  }

  summary(): LatencySummary {
    return {
      count: this.histogram.totalCount,
      p50: this.percentileMs(50),
      p99: this.percentileMs(99),
      p999: this.percentileMs(99.9),
      max: this.histogram.maxValue / 1000,
      mean: this.histogram.mean / 1000,
    };
  }
}

/** The summary of a plain list of millisecond latencies (e.g. a pgbench log). */
export function summarize(latenciesMs: Iterable<number>): LatencySummary {
  const histogram = new LatencyHistogram();
  for (const latency of latenciesMs) histogram.recordMs(latency);
  return histogram.summary();
}

/** The middle value (the mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}
