import { median } from './histogram.js';
import type { MetricInput } from './report.js';

/**
 * Where one status change's push latency went, from the times of one machine's clock: the bench's (PATCH sent,
 * answered, socket received) and the two stamps the app leaves on the event's outbox row (`occurred_at`, taken when
 * the status-change use case starts; `published_at`, the broker's acknowledgement). All are epoch milliseconds.
 */
export interface UpdateTimes {
  sentAt: number;
  stampedAt: number;
  answeredAt: number;
  acknowledgedAt: number;
  receivedAt: number;
}

export const STAGES = ['request', 'commit', 'relay', 'delivery'] as const;
export type Stage = (typeof STAGES)[number];

/**
 * The stages a push goes through, each from the bench's or the app's own stamps:
 * request = PATCH sent → use case started (HTTP, middleware, guards, validation);
 * commit = use case started → PATCH answered (the order's lookup, the wait for a write slot, the statement and its
 * commit, the response);
 * relay = use case started → broker acknowledged the event (the same up to the commit, then hand-over and produce);
 * delivery = broker acknowledged → owner's socket received (consumer fetch, fan-out, socket write).
 * `commit` and `relay` overlap (both start at the stamp): the push waits for `relay`, the PATCH for `commit`.
 */
export function stagesOf(times: UpdateTimes): Record<Stage, number> {
  return {
    request: times.stampedAt - times.sentAt,
    commit: times.answeredAt - times.stampedAt,
    relay: times.acknowledgedAt - times.stampedAt,
    delivery: times.receivedAt - times.acknowledgedAt,
  };
}

export interface StageBreakdown {
  updates: number;
  /** Push latencies (sent → received) at or above this are the tail. */
  tailFromMs: number;
  tailUpdates: number;
  /** Median of each stage over all updates, and over the tail's updates. */
  median: Record<Stage, number>;
  tailMedian: Record<Stage, number>;
  /** In how many of the tail's updates each stage of the push path (request, relay, delivery) was the longest. */
  longestInTail: Record<Exclude<Stage, 'commit'>, number>;
}

function medians(stages: readonly Record<Stage, number>[]): Record<Stage, number> {
  return {
    request: median(stages.map((s) => s.request)),
    commit: median(stages.map((s) => s.commit)),
    relay: median(stages.map((s) => s.relay)),
    delivery: median(stages.map((s) => s.delivery)),
  };
}

/** The stage breakdown of a set of updates, its tail being the updates whose push latency reached `tailPercentile`. */
export function stageBreakdown(updates: readonly UpdateTimes[], tailPercentile = 99): StageBreakdown {
  const measured = updates.map((u) => ({ latency: u.receivedAt - u.sentAt, stages: stagesOf(u) }));
  const latencies = measured.map((m) => m.latency).sort((a, b) => a - b);
  const tailIndex = Math.min(latencies.length - 1, Math.floor((latencies.length * tailPercentile) / 100));
  const tailFromMs = latencies[Math.max(0, tailIndex)] ?? Number.NaN;
  const all = measured.map((m) => m.stages);
  const tail = measured.filter((m) => m.latency >= tailFromMs).map((m) => m.stages);
  const longestInTail = { request: 0, relay: 0, delivery: 0 };
  for (const stages of tail) {
    const longest = (['request', 'relay', 'delivery'] as const).reduce((best, stage) =>
      stages[stage] > stages[best] ? stage : best,
    );
    longestInTail[longest] += 1;
  }
  return {
    updates: updates.length,
    tailFromMs,
    tailUpdates: tail.length,
    median: medians(all),
    tailMedian: medians(tail),
    longestInTail,
  };
}

/** `stages, ms (median of all N / of the M at or above T ms): request a / b, …; longest stage in those: …`. */
export function describeStages(breakdown: StageBreakdown): string {
  if (breakdown.updates === 0)
    return "stages: none of the window's updates was both stamped by the app and received by its socket";
  const stages = STAGES.map(
    (stage) => `${stage} ${breakdown.median[stage].toFixed(1)} / ${breakdown.tailMedian[stage].toFixed(1)}`,
  ).join(', ');
  const longest = Object.entries(breakdown.longestInTail)
    .map(([stage, count]) => `${stage} ${count}`)
    .join(', ');
  return (
    `stages, ms (median of all ${breakdown.updates} / of the ${breakdown.tailUpdates} at or above ` +
    `${breakdown.tailFromMs.toFixed(1)} ms): ${stages}; longest stage in those: ${longest}`
  );
}

/**
 * The push phase's stages as figures: each stage's median over the slowest 1% of pushes (what the push p99 is made
 * of), with its median over all pushes and, for the stages a push waits on, how often it was the tail's longest.
 */
export function stageMetrics(breakdown: StageBreakdown): MetricInput[] {
  return STAGES.map((stage) => ({
    id: `push.stage.${stage}.tail`,
    label: `push stage ${stage}, median of the slowest 1%`,
    unit: 'ms',
    value: breakdown.tailMedian[stage],
    note: breakdown.updates === 0 ? `not measured: ${describeStages(breakdown)}` : stageNote(breakdown, stage),
  }));
}

function stageNote(breakdown: StageBreakdown, stage: Stage): string {
  return (
    `median of all ${breakdown.updates} pushes ${breakdown.median[stage].toFixed(1)} ms; the slowest 1% are the ` +
    `${breakdown.tailUpdates} at or above ${breakdown.tailFromMs.toFixed(1)} ms` +
    (stage === 'commit'
      ? ' (the PATCH waits on it, the push does not)'
      : `, and ${stage} was the longest stage in ${breakdown.longestInTail[stage]} of them`)
  );
}
