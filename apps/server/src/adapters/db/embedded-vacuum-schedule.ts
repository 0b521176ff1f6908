/**
 * When the embedded database vacuums its outbox tables. PGlite runs one statement at a time, so a VACUUM holds up
 * every statement while it runs: 165 ms after 150 s of a steady 500 updates/s on 2026-12-03's host (measured while
 * PGlite still ran on the app's thread, where it also held the event loop up to 345 ms; it has its own thread now).
 * The relay's fetch no longer needs it to stay fast (see unpublishedFromOldest; it held 1.1-2.5 ms over 5 minutes with
 * one vacuum), only the space of dead rows does, so it waits for a quiet moment, and under unbroken load it still runs
 * now and then.
 */
export interface EmbeddedVacuumSchedule {
  /** No vacuum sooner than this after the previous one. */
  intervalMs: number;
  /** A quiet moment: this long without an outbox write. */
  quietMs: number;
  /** Under load that never pauses, the vacuum runs anyway once this long has passed since the previous one. */
  deferLimitMs: number;
}

export const EMBEDDED_VACUUM_SCHEDULE: EmbeddedVacuumSchedule = {
  intervalMs: 60_000,
  quietMs: 2_000,
  deferLimitMs: 600_000,
};

/**
 * Times in ms on one clock; `lastWriteAt` is undefined before the first outbox write. An idle database still
 * vacuums at every interval: audit rows are written without an outbox write, and a vacuum of unchanged pages is cheap.
 */
export function vacuumDue(
  schedule: EmbeddedVacuumSchedule,
  now: number,
  lastVacuumAt: number,
  lastWriteAt: number | undefined,
): boolean {
  const sinceVacuum = now - lastVacuumAt;
  if (sinceVacuum < schedule.intervalMs) return false;
  const quiet = lastWriteAt === undefined || now - lastWriteAt >= schedule.quietMs;
  return quiet || sinceVacuum >= schedule.deferLimitMs;
}
