/**
 * The pure part of the suite: every figure is a value measured beside a baseline from the same run, a ratio of the
 * two, and targets that pass or fail. Nothing here does I/O, so it is unit-tested.
 */

export type Mode = 'embedded' | 'full';

/** A target on the absolute value or on the ratio to the baseline. */
export type Target =
  { kind: 'max'; of: 'value' | 'ratio'; limit: number } | { kind: 'min'; of: 'value' | 'ratio'; limit: number };

export interface TargetResult {
  description: string;
  pass: boolean;
}

export interface Metric {
  /** Stable key, e.g. `push.latency.p99`. */
  id: string;
  mode: Mode;
  label: string;
  unit: string;
  value: number;
  /** The raw figure this one is compared with; null when the issue names none. */
  baseline: number | null;
  baselineLabel: string | null;
  ratio: number | null;
  targets: TargetResult[];
  note?: string;
}

export interface MetricInput {
  id: string;
  label: string;
  unit: string;
  value: number;
  baseline?: { value: number; label: string } | undefined;
  targets?: readonly Target[];
  note?: string | undefined;
}

/** value / baseline; null without a usable baseline (missing, zero or not finite). */
export function ratio(value: number, baseline: number | null | undefined): number | null {
  if (baseline === null || baseline === undefined || baseline === 0) return null;
  const result = value / baseline;
  return Number.isFinite(result) ? result : null;
}

export function describeTarget(target: Target, unit: string): string {
  const subject = target.of === 'ratio' ? 'ratio' : unit;
  const limit = target.of === 'ratio' ? `${target.limit}x` : `${target.limit} ${subject}`;
  return `${target.kind === 'max' ? '≤' : '≥'} ${limit}`;
}

export function evaluateTarget(target: Target, value: number, ratioValue: number | null, unit: string): TargetResult {
  const subject = target.of === 'ratio' ? ratioValue : value;
  const pass = subject !== null && (target.kind === 'max' ? subject <= target.limit : subject >= target.limit);
  return { description: describeTarget(target, unit), pass };
}

export function buildMetric(mode: Mode, input: MetricInput): Metric {
  const baseline = input.baseline?.value ?? null;
  const ratioValue = ratio(input.value, baseline);
  return {
    id: input.id,
    mode,
    label: input.label,
    unit: input.unit,
    value: input.value,
    baseline,
    baselineLabel: input.baseline?.label ?? null,
    ratio: ratioValue,
    targets: (input.targets ?? []).map((target) => evaluateTarget(target, input.value, ratioValue, input.unit)),
    ...(input.note === undefined ? {} : { note: input.note }),
  };
}

/** Three significant digits, no exponent: what a reader compares at a glance. */
export function formatNumber(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1000) return Math.round(value).toLocaleString('en-US');
  return Number(value.toPrecision(3)).toString();
}

function verdict(targets: readonly TargetResult[]): string {
  if (targets.length === 0) return '';
  return targets.map((target) => `${target.pass ? 'PASS' : 'FAIL'} ${target.description}`).join('; ');
}

/** A plain-text table (also valid Markdown) of the metrics, one row each. */
export function formatTable(metrics: readonly Metric[]): string {
  const header = ['mode', 'figure', 'value', 'baseline', 'ratio', 'target'];
  const rows = metrics.map((metric) => [
    metric.mode,
    metric.label,
    `${formatNumber(metric.value)} ${metric.unit}`,
    metric.baseline === null ? '—' : `${formatNumber(metric.baseline)} ${metric.unit} (${metric.baselineLabel ?? ''})`,
    metric.ratio === null ? '—' : `${formatNumber(metric.ratio)}x`,
    verdict(metric.targets),
  ]);
  const widths = header.map((title, column) =>
    Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (cells: readonly string[]): string =>
    `| ${cells.map((cell, column) => cell.padEnd(widths[column] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
}
