import type { Order, OrderLifecycleEvent, OrderStatus } from '@ordertrack/shared';
import { inParallel, type ApiClient, type Customer } from './api-client.js';
import { LatencyHistogram } from './histogram.js';
import { sleep } from './progress.js';

/** The straight path through the lifecycle: four status changes per order, each a push to its owner. */
const NEXT_STATUS: Partial<Record<OrderStatus, OrderStatus>> = {
  CREATED: 'ACCEPTED',
  ACCEPTED: 'PREPARED',
  PREPARED: 'SHIPPED',
  SHIPPED: 'DELIVERED',
};
export const UPDATES_PER_ORDER = 4;

interface TrackedOrder {
  id: string;
  userId: string;
  status: OrderStatus;
  version: number;
  busy: boolean;
}

/** What one stretch of load measured: push latency (PATCH sent → socket received) and the PATCH round trip. */
export class LoadWindow {
  readonly pushLatency = new LatencyHistogram();
  readonly requestLatency = new LatencyHistogram();
  sent = 0;
  committed = 0;
  failed = 0;
  /** Updates the schedule wanted but could not send (too many in flight, or no order left to update). */
  skipped = 0;
  received = 0;
  startedAt = 0;
  endedAt = 0;

  get seconds(): number {
    return (this.endedAt - this.startedAt) / 1000;
  }
}

export interface SentUpdate {
  orderId: string;
  /** The order's version this update creates: the event's version the socket receives. */
  version: number;
  ownerId: string;
  at: number;
  window: LoadWindow;
  committedAt?: number;
  receivedAt?: number;
}

export const eventKey = (orderId: string, version: number): string => `${orderId}:${version}`;

/**
 * Drives status changes at a fixed rate (open loop: the schedule does not wait for answers, so a slow server
 * cannot slow the load down and hide its own latency), one change per order at a time so versions stay in order.
 */
export class UpdateDriver {
  readonly updates = new Map<string, SentUpdate>();
  private readonly orders: TrackedOrder[] = [];
  private cursor = 0;
  private inFlight = 0;

  constructor(
    private readonly api: ApiClient,
    private readonly adminToken: string,
    private readonly maxInFlight = 256,
  ) {}

  /** Places `count` orders spread over `owners` (their pushes are what the sockets receive). */
  async placeOrders(owners: readonly Customer[], count: number, concurrency = 16): Promise<void> {
    const placed = await inParallel(
      Array.from({ length: count }, (_, index) => owners[index % owners.length] as Customer),
      concurrency,
      (owner) => this.api.createOrder(owner.token),
    );
    this.orders.push(...placed.map((order: Order) => ({ ...order, busy: false })));
  }

  get remainingUpdates(): number {
    return this.orders.reduce((sum, order) => sum + (UPDATES_PER_ORDER - (order.version - 1)), 0);
  }

  orderIdsOf(userId: string): string[] {
    return this.orders.filter((order) => order.userId === userId).map((order) => order.id);
  }

  updatesIn(window: LoadWindow): SentUpdate[] {
    return [...this.updates.values()].filter((update) => update.window === window);
  }

  /**
   * Records an event received by a socket; the first receipt of an update is its latency. Returns whether this
   * was the first receipt (later ones are duplicates, e.g. a resume returning what a replay already delivered).
   */
  recordPush(event: OrderLifecycleEvent, receivedAt = performance.now()): boolean {
    const update = this.updates.get(eventKey(event.orderId, event.version));
    if (update === undefined || update.receivedAt !== undefined) return false;
    update.receivedAt = receivedAt;
    update.window.received += 1;
    update.window.pushLatency.recordMs(receivedAt - update.at);
    return true;
  }

  /** Sends `rate` updates per second for `durationMs`, then waits up to `settleMs` for the answers and pushes. */
  async run(rate: number, durationMs: number, settleMs = 3000): Promise<LoadWindow> {
    const window = new LoadWindow();
    window.startedAt = performance.now();
    let scheduled = 0;
    while (performance.now() - window.startedAt < durationMs) {
      const due = Math.floor(((performance.now() - window.startedAt) / 1000) * rate);
      for (; scheduled < due; scheduled++) this.sendNext(window);
      await sleep(2);
    }
    window.endedAt = performance.now();
    const settleUntil = performance.now() + settleMs;
    while (performance.now() < settleUntil && (this.inFlight > 0 || window.received < window.committed)) {
      await sleep(20);
    }
    return window;
  }

  /** One status change, awaited: for phases that time what follows a single commit. */
  async updateOnce(): Promise<{ orderId: string; version: number; committedAt: number } | undefined> {
    const order = this.pickOrder();
    const next = order === undefined ? undefined : NEXT_STATUS[order.status];
    if (order === undefined || next === undefined) return undefined;
    order.busy = true;
    try {
      if ((await this.api.changeStatus(this.adminToken, order.id, next)) !== 200) return undefined;
      order.status = next;
      order.version += 1;
      return { orderId: order.id, version: order.version, committedAt: performance.now() };
    } finally {
      order.busy = false;
    }
  }

  private pickOrder(): TrackedOrder | undefined {
    for (let tried = 0; tried < this.orders.length; tried++) {
      const order = this.orders[this.cursor] as TrackedOrder;
      this.cursor = (this.cursor + 1) % this.orders.length;
      if (!order.busy && NEXT_STATUS[order.status] !== undefined) return order;
    }
    return undefined;
  }

  private sendNext(window: LoadWindow): void {
    const order = this.inFlight < this.maxInFlight ? this.pickOrder() : undefined;
    const next = order === undefined ? undefined : NEXT_STATUS[order.status];
    if (order === undefined || next === undefined) {
      window.skipped += 1;
      return;
    }
    order.busy = true;
    this.inFlight += 1;
    window.sent += 1;
    const update: SentUpdate = {
      orderId: order.id,
      version: order.version + 1,
      ownerId: order.userId,
      at: performance.now(),
      window,
    };
    const key = eventKey(update.orderId, update.version);
    this.updates.set(key, update);
    void this.api.changeStatus(this.adminToken, order.id, next).then(
      (status) => {
        const now = performance.now();
        window.requestLatency.recordMs(now - update.at);
        if (status === 200) {
          update.committedAt = now;
          window.committed += 1;
          order.status = next;
          order.version += 1;
        } else {
          window.failed += 1;
          this.updates.delete(key);
        }
        order.busy = false;
        this.inFlight -= 1;
      },
      () => {
        window.failed += 1;
        this.updates.delete(key);
        order.busy = false;
        this.inFlight -= 1;
      },
    );
  }
}
