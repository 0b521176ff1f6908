/**
 * How big and how long each phase is. `--quick` must finish the whole run in under two minutes; `--smoke` is only
 * big enough to run every phase once (the e2e tier runs it so the suite cannot rot unnoticed), its figures mean nothing.
 */
export interface Scale {
  name: 'smoke' | 'quick' | 'full';
  /**
   * Orders placed through a full app of its own before anything is measured, so that Kafka and Elasticsearch are
   * measured warm (see service-warmup.ts): at least this long, then on until their CPU per order stops falling;
   * 0 skips it. Quick mode goes without (its two minutes).
   */
  serviceWarmupSeconds: number;
  /** Where the warm-up stops even if their CPU per order is still falling. */
  serviceWarmupMaxSeconds: number;
  /** Concurrent HTTP connections for order creation, app and pgbench alike. */
  concurrency: number;
  throughputSeconds: number;
  /** The same order-creation load first, not counted (see measureOrderThroughput). */
  throughputWarmupSeconds: number;
  /**
   * pgbench again just before each mode's order creation, which is compared with that figure instead of the
   * run-start one. Quick mode goes without (its two minutes); smoke runs it so the e2e tier covers it.
   */
  pgbenchBeforeOrders: boolean;
  /** Customers whose orders are updated; each holds one socket that receives its orders' pushes. */
  owners: number;
  /** Sockets held in total (owners included); the rest are idle customers' sockets. */
  sockets: number;
  /** Steady update rate of the push-latency phase, PATCH requests per second. */
  updateRate: number;
  latencySeconds: number;
  /** The same update load first, not recorded (see measurePushLatency). */
  latencyWarmupSeconds: number;
  /** Rates tried for the fan-out ceiling (pushes/s with p99 under 100 ms). */
  fanoutRates: readonly number[];
  fanoutStepSeconds: number;
  /** Lifecycle events seeded for the search phase. */
  historyEvents: number;
  /** Requests per search query kind and backend. */
  searchRequests: number;
  /** Updates sampled for the commit-to-searchable time. */
  searchableSamples: number;
  recoveryRate: number;
  recoveryDropMs: number;
  /** How long memory is left to settle before each resident-memory reading of the idle-connection figure. */
  memorySettleMs: number;
  /**
   * Sockets held: idle sockets are added this many at a time, up to the bound, each step checked. The bound stays
   * below the 20,000 open files a process may have on this project's hosts: the bench process holds every client.
   */
  heldSocketsStep: number;
  heldSocketsBound: number;
}

export const SMOKE: Scale = {
  name: 'smoke',
  serviceWarmupSeconds: 1,
  serviceWarmupMaxSeconds: 1,
  concurrency: 4,
  throughputSeconds: 1,
  throughputWarmupSeconds: 0,
  pgbenchBeforeOrders: true,
  owners: 2,
  sockets: 10,
  updateRate: 20,
  latencySeconds: 1,
  latencyWarmupSeconds: 0,
  fanoutRates: [20],
  fanoutStepSeconds: 1,
  historyEvents: 200,
  searchRequests: 3,
  searchableSamples: 3,
  recoveryRate: 10,
  recoveryDropMs: 1000,
  memorySettleMs: 200,
  heldSocketsStep: 5,
  heldSocketsBound: 20,
};

export const QUICK: Scale = {
  name: 'quick',
  serviceWarmupSeconds: 0,
  serviceWarmupMaxSeconds: 0,
  concurrency: 16,
  throughputSeconds: 2,
  throughputWarmupSeconds: 1,
  pgbenchBeforeOrders: false,
  // Three owners and a 2 s drop: each owner costs a password hash at registration, and the whole run must stay
  // under two minutes on this project's slowest hosts (134 s on 2026-12-07 with five owners and a 5 s drop).
  owners: 3,
  sockets: 200,
  updateRate: 100,
  latencySeconds: 2,
  latencyWarmupSeconds: 1,
  fanoutRates: [200, 400],
  fanoutStepSeconds: 1,
  historyEvents: 10_000,
  searchRequests: 10,
  searchableSamples: 5,
  recoveryRate: 50,
  recoveryDropMs: 2000,
  memorySettleMs: 1000,
  heldSocketsStep: 400,
  heldSocketsBound: 1000,
};

export const FULL: Scale = {
  name: 'full',
  serviceWarmupSeconds: 90,
  serviceWarmupMaxSeconds: 300,
  concurrency: 16,
  throughputSeconds: 15,
  throughputWarmupSeconds: 5,
  pgbenchBeforeOrders: true,
  owners: 20,
  sockets: 2000,
  updateRate: 500,
  // 30,000 updates: in 20 s (10,000) a single stall of the host could set the p99 by itself (see README, 2026-12-06).
  latencySeconds: 60,
  latencyWarmupSeconds: 5,
  fanoutRates: [250, 500, 1000, 2000],
  fanoutStepSeconds: 6,
  historyEvents: 1_000_000,
  searchRequests: 100,
  searchableSamples: 100,
  recoveryRate: 200,
  recoveryDropMs: 5000,
  memorySettleMs: 2000,
  heldSocketsStep: 4000,
  heldSocketsBound: 16_000,
};
