import { describe, expect, it } from 'vitest';
import { vacuumDue, type EmbeddedVacuumSchedule } from './embedded-vacuum-schedule.js';

const schedule: EmbeddedVacuumSchedule = { intervalMs: 60_000, quietMs: 2_000, deferLimitMs: 600_000 };

describe('vacuumDue', () => {
  it('waits for a quiet moment once the interval has passed', () => {
    expect(vacuumDue(schedule, 70_000, 0, 69_000)).toBe(false);
    expect(vacuumDue(schedule, 71_000, 0, 69_000)).toBe(true);
  });

  it('never runs twice within the interval, however quiet', () => {
    expect(vacuumDue(schedule, 59_999, 0, 1_000)).toBe(false);
  });

  it('runs at every interval on a database nothing writes to', () => {
    expect(vacuumDue(schedule, 160_000, 100_000, undefined)).toBe(true);
    expect(vacuumDue(schedule, 160_000, 100_000, 90_000)).toBe(true);
  });

  it('runs under load that never pauses once the defer limit has passed', () => {
    expect(vacuumDue(schedule, 599_999, 0, 599_998)).toBe(false);
    expect(vacuumDue(schedule, 600_000, 0, 599_999)).toBe(true);
  });
});
