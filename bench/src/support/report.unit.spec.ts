import { describe, expect, it } from 'vitest';
import { summarize } from './histogram.js';
import { buildMetric, evaluateTarget, formatNumber, formatTable, ratio } from './report.js';

describe('ratio', () => {
  it('divides the value by its baseline', () => {
    expect(ratio(250, 500)).toBe(0.5);
  });

  it('has no ratio without a usable baseline', () => {
    expect(ratio(1, null)).toBeNull();
    expect(ratio(1, 0)).toBeNull();
  });
});

describe('targets', () => {
  it('checks a minimum ratio', () => {
    expect(evaluateTarget({ kind: 'min', of: 'ratio', limit: 0.5 }, 40, 0.49, 'orders/s')).toEqual({
      description: '≥ 0.5x',
      pass: false,
    });
    expect(evaluateTarget({ kind: 'min', of: 'ratio', limit: 0.5 }, 40, 0.5, 'orders/s').pass).toBe(true);
  });

  it('checks a maximum absolute value in the metric unit', () => {
    expect(evaluateTarget({ kind: 'max', of: 'value', limit: 50 }, 49.9, null, 'ms')).toEqual({
      description: '≤ 50 ms',
      pass: true,
    });
    expect(evaluateTarget({ kind: 'max', of: 'value', limit: 50 }, 50.1, null, 'ms').pass).toBe(false);
  });

  it('fails a ratio target when there is no baseline to compare with', () => {
    expect(evaluateTarget({ kind: 'max', of: 'ratio', limit: 2 }, 10, null, 'ms').pass).toBe(false);
  });
});

describe('buildMetric', () => {
  it('keeps the value, the baseline and their ratio together with the verdicts', () => {
    const metric = buildMetric('full', {
      id: 'push.latency.p99',
      label: 'push latency p99',
      unit: 'ms',
      value: 30,
      baseline: { value: 20, label: 'echo + PG commit + Kafka' },
      targets: [
        { kind: 'max', of: 'value', limit: 50 },
        { kind: 'max', of: 'ratio', limit: 2 },
      ],
    });
    expect(metric).toMatchObject({ mode: 'full', value: 30, baseline: 20, ratio: 1.5 });
    expect(metric.targets.map((target) => target.pass)).toEqual([true, true]);
  });
});

describe('formatting', () => {
  it('prints three significant digits, thousands with separators, and a dash for nothing', () => {
    expect(formatNumber(0.123456)).toBe('0.123');
    expect(formatNumber(42.19)).toBe('42.2');
    expect(formatNumber(12_345.6)).toBe('12,346');
    expect(formatNumber(null)).toBe('—');
  });

  it('lays the metrics out as an aligned table with one row each', () => {
    const table = formatTable([
      buildMetric('embedded', {
        id: 'a',
        label: 'orders',
        unit: 'orders/s',
        value: 100,
        baseline: { value: 400, label: 'pgbench' },
        targets: [{ kind: 'min', of: 'ratio', limit: 0.5 }],
      }),
      buildMetric('embedded', { id: 'b', label: 'recovered', unit: '%', value: 100 }),
    ]);
    const lines = table.split('\n');
    expect(lines).toHaveLength(4);
    expect(new Set(lines.map((line) => line.length)).size).toBe(1);
    expect(lines[2]).toContain('0.25x');
    expect(lines[2]).toContain('FAIL ≥ 0.5x');
    expect(lines[3]).toContain('—');
  });
});

describe('summarize', () => {
  it('reads percentiles of millisecond latencies at microsecond resolution', () => {
    const summary = summarize(Array.from({ length: 1000 }, (_, index) => (index + 1) / 10));
    expect(summary.count).toBe(1000);
    expect(summary.p50).toBeCloseTo(50, 1);
    expect(summary.p99).toBeCloseTo(99, 1);
    expect(summary.max).toBeCloseTo(100, 1);
  });
});
