import { describe, expect, it } from 'vitest';
import { ceilingOf, describeCeiling, type CeilingStep } from './push-ceiling.js';

const step = (rate: number, p99: number, complete = true): CeilingStep => ({
  rate,
  pushesPerSecond: rate,
  p99,
  complete,
});

describe('push ceiling', () => {
  it('is the last step under the limit, and names the step that ended the climb', () => {
    const ceiling = ceilingOf([step(250, 8), step(500, 40), step(1000, 140)], 4);
    expect(ceiling.pushesPerSecond).toBe(500);
    expect(ceiling.capped).toBe(false);
    expect(describeCeiling(ceiling)).toBe('p99 there 40.0 ms; the next step, 1000 updates/s read p99 140.0 ms');
  });

  it('says when even the first step failed instead of reading a p99 of 0 ms', () => {
    const ceiling = ceilingOf([step(250, 102.5)], 4);
    expect(ceiling.pushesPerSecond).toBe(0);
    expect(describeCeiling(ceiling)).toBe('no step passed: the first, 250 updates/s read p99 102.5 ms');
  });

  it('counts a step with missing pushes as failed whatever its p99', () => {
    const ceiling = ceilingOf([step(250, 8), step(500, 20, false)], 4);
    expect(ceiling.pushesPerSecond).toBe(250);
    expect(describeCeiling(ceiling)).toBe(
      'p99 there 8.0 ms; the next step, 500 updates/s read p99 20.0 ms with pushes missing',
    );
  });

  it('calls a climb that passed every step a floor', () => {
    const ceiling = ceilingOf([step(250, 8), step(500, 9)], 2);
    expect(ceiling.capped).toBe(true);
    expect(ceiling.failedStep).toBeUndefined();
    expect(describeCeiling(ceiling)).toBe('highest step tried passed: a floor, not the ceiling; p99 there 9.0 ms');
  });
});
