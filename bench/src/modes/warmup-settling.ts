import type { CpuPerUnit } from '../support/process-cpu.js';

/** The JVMs whose cost per event falls while they compile their hot code; the app is a fresh process per phase. */
export const WARMING_GROUPS = ['elasticsearch', 'kafka'] as const;

/**
 * A fall smaller than this share, or than SETTLED_FALL_MS, counts as settled: slice-to-slice noise on these hosts
 * is about that large (Elasticsearch 0.19-0.36 ms per order over ten slices once warm on 2026-12-07), and 0.05 ms is
 * a fifth of pgbench's whole transaction.
 */
const SETTLED_FALL_SHARE = 0.2;
const SETTLED_FALL_MS = 0.05;

export interface GroupChange {
  group: (typeof WARMING_GROUPS)[number];
  /** Mean CPU per order over the two slices before the last two, ms. */
  earlierMs: number;
  /** Mean CPU per order over the last two slices, ms. */
  laterMs: number;
}

export interface Settling {
  settled: boolean;
  changes: GroupChange[];
}

const mean = (values: readonly number[]): number => values.reduce((sum, value) => sum + value, 0) / values.length;

/**
 * Whether the services' CPU per order has stopped falling: each watched group's mean over the last two slices
 * against its mean over the two before. Undefined with fewer than four slices (nothing to compare).
 */
export function warmupSettling(slices: readonly { cpuPerOrder: CpuPerUnit }[]): Settling | undefined {
  if (slices.length < 4) return undefined;
  const msOf = (group: string, from: number, to: number): number =>
    mean(slices.slice(from, to).map((slice) => slice.cpuPerOrder.msByGroup[group] ?? 0));
  const changes = WARMING_GROUPS.map((group) => ({
    group,
    earlierMs: msOf(group, -4, -2),
    laterMs: msOf(group, -2, slices.length),
  }));
  const settled = changes.every(
    ({ earlierMs, laterMs }) =>
      earlierMs - laterMs < SETTLED_FALL_MS || laterMs >= earlierMs * (1 - SETTLED_FALL_SHARE),
  );
  return { settled, changes };
}

/** `elasticsearch 0.29 → 0.26, kafka 0.24 → 0.20 ms per order`. */
export function describeChanges(changes: readonly GroupChange[]): string {
  return `${changes.map(({ group, earlierMs, laterMs }) => `${group} ${earlierMs.toFixed(2)} → ${laterMs.toFixed(2)}`).join(', ')} ms per order`;
}
