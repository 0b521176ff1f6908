import type { OrderLifecycleEvent, ResumeResult } from '@ordertrack/shared';
import { expect } from 'vitest';
import pg from 'pg';
import type { EventCollector } from './api-client.js';
import type { OrderLoad } from './order-load.js';
import { waitFor } from './wait-for.js';

export interface StoredEvent {
  eventId: string;
  version: number;
  status: string;
  published: boolean;
}

/** Every order's events as PostgreSQL holds them, in version order, read directly (not through the app). */
export async function readStoredEvents(
  databaseUrl: string,
  orderIds: readonly string[],
): Promise<Map<string, StoredEvent[]>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<StoredEvent & { orderId: string }>(
      `SELECT order_id AS "orderId", event_id AS "eventId", version, status, published_at IS NOT NULL AS published
         FROM order_events WHERE order_id = ANY($1::uuid[]) ORDER BY order_id, version`,
      [orderIds],
    );
    const byOrder = new Map<string, StoredEvent[]>(orderIds.map((id) => [id, []]));
    for (const { orderId, ...event } of rows) byOrder.get(orderId)?.push(event);
    return byOrder;
  } finally {
    await client.end();
  }
}

/**
 * No accepted change lost: every order created with a 201 is stored with an unbroken history 1..n, and every
 * status change answered 200 is the stored event of that version. Waits until the relay published all of them.
 */
export async function expectEveryAcceptedChangeStored(
  databaseUrl: string,
  load: OrderLoad,
  timeoutMs = 60_000,
): Promise<Map<string, StoredEvent[]>> {
  const orderIds = load.created.map((order) => order.id);
  const stored = await waitFor(
    'every stored event to be published',
    async () => {
      const events = await readStoredEvents(databaseUrl, orderIds);
      return [...events.values()].every((history) => history.every((event) => event.published)) ? events : undefined;
    },
    timeoutMs,
  );
  for (const order of load.created) {
    const versions = (stored.get(order.id) ?? []).map((event) => event.version);
    expect(versions, `history of order ${order.id}`).toEqual(versions.map((_, index) => index + 1));
    expect(versions[0], `order ${order.id} was created`).toBe(1);
  }
  for (const change of load.changed) {
    const event = stored.get(change.id)?.find((candidate) => candidate.version === change.version);
    expect(event?.status, `order ${change.id} version ${change.version}`).toBe(change.status);
  }
  return stored;
}

/** Versions strictly ascending: a socket never got an order's events out of order or twice. */
export function expectPushedInVersionOrder(socket: EventCollector): void {
  const last = new Map<string, number>();
  for (const event of socket.events) {
    expect(event.version, `push of order ${event.orderId}`).toBeGreaterThan(last.get(event.orderId) ?? 0);
    last.set(event.orderId, event.version);
  }
}

/**
 * What a client does after missing pushes: resume each order from the last version it holds without a gap. The
 * answer must hold exactly the stored events after that version, in version order; pushed + resumed = history.
 */
export async function expectResumeCompletesHistory(
  socket: EventCollector,
  stored: ReadonlyMap<string, readonly StoredEvent[]>,
): Promise<void> {
  const request = [...stored.keys()].map((orderId) => ({
    orderId,
    lastVersion: contiguousVersion(socket.eventsOf(orderId)),
  }));
  const result: ResumeResult = await socket.socket.emitWithAck('orders.resume', { orders: request });
  if (!result.ok) throw new Error(`resume refused: ${result.error}`);
  for (const { orderId, lastVersion } of request) {
    const expected = (stored.get(orderId) ?? []).filter((event) => event.version > lastVersion);
    const resumed = result.events.filter((event) => event.orderId === orderId);
    expect(
      resumed.map((event) => [event.version, event.eventId]),
      `resume of order ${orderId} after version ${lastVersion}`,
    ).toEqual(expected.map((event) => [event.version, event.eventId]));
  }
}

function contiguousVersion(events: readonly OrderLifecycleEvent[]): number {
  const seen = new Set(events.map((event) => event.version));
  let version = 0;
  while (seen.has(version + 1)) version += 1;
  return version;
}
