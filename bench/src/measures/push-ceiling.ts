/** The fan-out target of the issue: a push rate counts only while its p99 stays under this. */
export const PUSH_P99_LIMIT_MS = 100;

/** One rate step of a push-ceiling measurement. */
export interface CeilingStep {
  /** The update rate the step asked for. */
  rate: number;
  pushesPerSecond: number;
  p99: number;
  /** Every update sent, none failed, every push received. */
  complete: boolean;
}

export interface PushCeiling {
  /** Highest push rate measured with p99 under the limit; 0 if even the first step missed it. */
  pushesPerSecond: number;
  p99AtCeilingMs: number;
  /** Whether the last (highest) step still passed: then the ceiling is at least this, not exactly this. */
  capped: boolean;
  /** The step that ended the climb; undefined when every step passed. */
  failedStep: CeilingStep | undefined;
}

export function stepPasses(step: CeilingStep): boolean {
  return step.complete && step.p99 < PUSH_P99_LIMIT_MS;
}

/** The ceiling the steps reached, from the steps run in rising order (the climb stops at the first failing one). */
export function ceilingOf(steps: readonly CeilingStep[], tried: number): PushCeiling {
  const passing = steps.filter(stepPasses);
  const best = passing.at(-1);
  return {
    pushesPerSecond: best?.pushesPerSecond ?? 0,
    p99AtCeilingMs: best?.p99 ?? 0,
    capped: passing.length === tried,
    failedStep: steps.find((step) => !stepPasses(step)),
  };
}

/** The figure's note: the p99 at the ceiling, and what the step above it read (or that even the first step failed). */
export function describeCeiling(ceiling: PushCeiling): string {
  const failed = ceiling.failedStep;
  const failure =
    failed === undefined
      ? ''
      : `${failed.rate} updates/s read p99 ${failed.p99.toFixed(1)} ms${failed.complete ? '' : ' with pushes missing'}`;
  if (ceiling.capped)
    return `highest step tried passed: a floor, not the ceiling; p99 there ${ceiling.p99AtCeilingMs.toFixed(1)} ms`;
  if (ceiling.pushesPerSecond === 0) return `no step passed: the first, ${failure}`;
  return `p99 there ${ceiling.p99AtCeilingMs.toFixed(1)} ms; the next step, ${failure}`;
}
