import { setTimeout as delay } from 'node:timers/promises';
import type { Order, OrderStatus } from '@ordertrack/shared';
import type { ApiResponse, Session } from './api-client.js';
import { waitFor } from './wait-for.js';

const NEXT_STATUS: Partial<Record<OrderStatus, OrderStatus>> = {
  CREATED: 'ACCEPTED',
  ACCEPTED: 'PREPARED',
  PREPARED: 'SHIPPED',
  SHIPPED: 'DELIVERED',
};

export interface LoadBounds {
  workers: number;
  /** The load stops by itself after this many requests... */
  maxRequests: number;
  /** ...or after this long, whichever comes first. */
  maxDurationMs: number;
  /** Each worker's pause between two requests: keeps the rate bounded, also while every request fails fast. */
  pacingMs: number;
}

/** The load the fault suites run under: a few workers, paced, for at most the length of an outage test. */
export const FAULT_SUITE_LOAD: LoadBounds = { workers: 4, maxRequests: 4000, maxDurationMs: 75_000, pacingMs: 20 };

interface TrackedOrder {
  order: Order;
  /** A change whose answer was not 2xx may still have committed: read the order again before changing it. */
  uncertain: boolean;
  busy: boolean;
}

/**
 * Bounded order traffic through the public API: customers place orders, the admin moves them along their
 * lifecycle. It records what the API answered, so a test can check that every accepted (2xx) change survived.
 */
export class OrderLoad {
  /** Every order whose creation was answered 201. */
  readonly created: Order[] = [];
  /** Every order as returned by a status change answered 200. */
  readonly changed: Order[] = [];
  /** How often each HTTP status was answered; `network` counts requests that got no HTTP answer. */
  readonly answers = new Map<number | 'network', number>();
  private readonly tracked: TrackedOrder[] = [];
  private requests = 0;
  private stopped = false;
  private readonly running: Promise<void>;

  private constructor(
    private readonly customers: readonly Session[],
    private readonly admin: Session,
    private readonly bounds: LoadBounds,
  ) {
    const deadline = Date.now() + bounds.maxDurationMs;
    this.running = Promise.all(Array.from({ length: bounds.workers }, (_, worker) => this.work(worker, deadline))).then(
      () => undefined,
    );
  }

  static start(customers: readonly Session[], admin: Session, bounds: LoadBounds): OrderLoad {
    return new OrderLoad(customers, admin, bounds);
  }

  get requestCount(): number {
    return this.requests;
  }

  count(status: number | 'network'): number {
    return this.answers.get(status) ?? 0;
  }

  /** Statuses answered other than the expected successes and the given refusals, e.g. a 500. */
  unexpectedAnswers(allowed: readonly (number | 'network')[]): Map<number | 'network', number> {
    const ok: (number | 'network')[] = [200, 201, ...allowed];
    return new Map([...this.answers].filter(([status]) => !ok.includes(status)));
  }

  /** Resolves once `more` further requests have been answered (the load is running through the current state). */
  async waitForRequests(more: number, timeoutMs = 30_000): Promise<void> {
    const target = this.requests + more;
    await waitFor(
      `${more} more load requests`,
      () => (this.requests >= target || this.done ? true : undefined),
      timeoutMs,
    );
    if (this.requests < target) throw new Error(`the load ended (bounds reached) before ${more} more requests`);
  }

  /** Resolves once `more` further requests were answered with `status`. */
  async waitForAnswers(status: number, more: number, timeoutMs = 30_000): Promise<void> {
    const target = this.count(status) + more;
    await waitFor(`${more} more ${status} answers`, () => (this.count(status) >= target ? true : undefined), timeoutMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    await this.running;
  }

  private get done(): boolean {
    return this.stopped || this.requests >= this.bounds.maxRequests;
  }

  private async work(worker: number, deadline: number): Promise<void> {
    for (let turn = 0; !this.done && Date.now() < deadline; turn += 1) {
      this.requests += 1;
      const movable = this.tracked.filter((entry) => !entry.busy && NEXT_STATUS[entry.order.status] !== undefined);
      const entry = movable[(worker + turn) % Math.max(1, movable.length)];
      if (turn % 2 === 0 || entry === undefined) await this.place(worker + turn);
      else await this.advance(entry);
      await delay(this.bounds.pacingMs);
    }
  }

  private async place(seed: number): Promise<void> {
    const customer = this.customers[seed % this.customers.length] as Session;
    const response = await this.send(() =>
      customer.api.post<Order>('/orders', { items: [{ productId: `LOAD-${seed % 5}`, qty: 1 + (seed % 3) }] }),
    );
    if (response?.status === 201) {
      this.created.push(response.body);
      this.tracked.push({ order: response.body, uncertain: false, busy: false });
    }
  }

  private async advance(entry: TrackedOrder): Promise<void> {
    entry.busy = true;
    try {
      if (entry.uncertain) {
        const current = await this.send(() => this.admin.api.get<Order>(`/orders/${entry.order.id}`));
        if (current?.status !== 200) return;
        entry.order = current.body;
        entry.uncertain = false;
      }
      const next = NEXT_STATUS[entry.order.status];
      if (next === undefined) return;
      const response = await this.send(() =>
        this.admin.api.patch<Order>(`/orders/${entry.order.id}/status`, { status: next }),
      );
      if (response?.status === 200) {
        entry.order = response.body;
        this.changed.push(response.body);
      } else {
        entry.uncertain = true;
      }
    } finally {
      entry.busy = false;
    }
  }

  private async send<T>(request: () => Promise<ApiResponse<T>>): Promise<ApiResponse<T> | undefined> {
    try {
      const response = await request();
      this.answers.set(response.status, this.count(response.status) + 1);
      return response;
    } catch {
      this.answers.set('network', this.count('network') + 1);
      return undefined;
    }
  }
}
