import { randomUUID } from 'node:crypto';
import type { OrderItem, OrderStatus } from '@ordertrack/shared';
import type { DatabaseHandle } from '../../src/adapters/db/database.js';
import { users } from '../../src/adapters/db/schema.js';
import { protectFields } from '../../src/adapters/db/user-fields.js';
import { decide } from '../../src/domain/orders/order-decider.js';
import type { Actor } from '../../src/application/actor.js';
import type { OrderStore } from '../../src/application/ports/order-store.port.js';
import { testProtection } from './personal-data.js';

export async function insertUser(database: DatabaseHandle, id = randomUUID()): Promise<string> {
  await database.db.insert(users).values({
    id,
    ...protectFields(id, { name: `user ${id.slice(0, 8)}`, email: `${id}@example.com` }, testProtection()),
    role: 'CUSTOMER',
    passwordHash: 'not-a-real-hash',
    createdAt: new Date(),
  });
  return id;
}

export async function placeOrder(
  store: OrderStore,
  userId: string,
  items: OrderItem[],
  at: Date,
  orderId = randomUUID(),
  actor?: Actor,
): Promise<string> {
  const command = { kind: 'PlaceOrder', orderId, userId, items, eventId: randomUUID(), at } as const;
  await store.create(orderId, (state) => decide(command, state), undefined, actor);
  return orderId;
}

export async function changeStatus(
  store: OrderStore,
  orderId: string,
  to: OrderStatus,
  at: Date,
  expectedVersion?: number,
): Promise<number> {
  const command = { kind: 'ChangeOrderStatus', orderId, to, expectedVersion, eventId: randomUUID(), at } as const;
  const change = await store.execute(orderId, (state) => decide(command, state));
  return change.order.version;
}
