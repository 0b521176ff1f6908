import { randomUUID } from 'node:crypto';
import type { OrderLifecycleEvent, SearchOrdersQuery } from '@ordertrack/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DrizzleOrderStore } from '../../src/adapters/db/drizzle-order-store.js';
import type { OrderSearch } from '../../src/application/ports/order-search.port.js';
import { openTestDatabase, type TestDatabase } from '../support/databases.js';
import { changeStatus, insertUser, placeOrder } from '../support/fixtures.js';
import type { DatabaseMode } from '../support/test-app.js';

export interface SearchUnderTest {
  search: OrderSearch;
  close(): Promise<void>;
}

/**
 * Builds the search adapter once the fixture is in PostgreSQL; `events` is everything the outbox would publish,
 * so an index-based adapter can be fed exactly what production would feed it.
 */
export type SearchFactory = (database: TestDatabase, events: OrderLifecycleEvent[]) => Promise<SearchUnderTest>;

const at = (iso: string): Date => new Date(iso);
const query = (overrides: Partial<SearchOrdersQuery>): SearchOrdersQuery => ({ page: 1, size: 20, ...overrides });

/** One behaviour for every OrderSearch adapter: the same fixture must give identical answers. */
export function orderSearchContract(adapterName: string, databaseMode: DatabaseMode, factory: SearchFactory): void {
  describe(`OrderSearch contract: ${adapterName}`, () => {
    let database: TestDatabase;
    let underTest: SearchUnderTest;
    let search: OrderSearch;
    const ids = { u1: '', u2: '', o1: '', o2: '', o3: '', o4: '' };

    beforeAll(async () => {
      database = await openTestDatabase(databaseMode);
      const store = new DrizzleOrderStore(database.handle.db);
      ids.u1 = await insertUser(database.handle);
      ids.u2 = await insertUser(database.handle);
      ids.o1 = await placeOrder(
        store,
        ids.u1,
        [
          { productId: 'ESP-001', qty: 2 },
          { productId: 'CUP-003', qty: 1 },
        ],
        at('2026-01-10T09:05:00Z'),
      );
      await changeStatus(store, ids.o1, 'ACCEPTED', at('2026-01-10T09:20:00Z'));
      ids.o2 = await placeOrder(store, ids.u1, [{ productId: 'GRN-002', qty: 1 }], at('2026-01-10T09:30:00Z'));
      await changeStatus(store, ids.o1, 'PREPARED', at('2026-01-10T09:40:00Z'));
      await changeStatus(store, ids.o2, 'CANCELED', at('2026-01-10T09:50:00Z'));
      await changeStatus(store, ids.o1, 'SHIPPED', at('2026-01-10T10:10:00Z'));
      await changeStatus(store, ids.o1, 'DELIVERED', at('2026-01-11T08:00:00Z'));
      ids.o3 = await placeOrder(store, ids.u2, [{ productId: 'Special_Blend-9', qty: 3 }], at('2026-01-11T14:00:00Z'));
      await changeStatus(store, ids.o3, 'ACCEPTED', at('2026-01-11T14:30:00Z'));
      ids.o4 = await placeOrder(store, ids.u2, [{ productId: 'KTL-005', qty: 1 }], at('2026-01-12T23:59:59Z'));
      const events = await store.eventsAfter(
        [ids.o1, ids.o2, ids.o3, ids.o4].map((orderId) => ({ orderId, lastVersion: 0 })),
      );
      underTest = await factory(database, events);
      search = underTest.search;
    });

    afterAll(async () => {
      await underTest.close();
      await database.close();
    });

    const found = async (overrides: Partial<SearchOrdersQuery>): Promise<string[]> =>
      (await search.search(query(overrides))).items.map((order) => order.id);

    it('lists every order, most recently updated first, with its current state', async () => {
      const result = await search.search(query({}));
      expect(result.total).toBe(4);
      expect(result.items.map((order) => order.id)).toEqual([ids.o4, ids.o3, ids.o1, ids.o2]);
      expect(result.items[2]).toEqual({
        id: ids.o1,
        userId: ids.u1,
        status: 'DELIVERED',
        items: [
          { productId: 'ESP-001', qty: 2 },
          { productId: 'CUP-003', qty: 1 },
        ],
        version: 5,
        createdAt: '2026-01-10T09:05:00.000Z',
        updatedAt: '2026-01-11T08:00:00.000Z',
      });
    });

    it('filters by order id, user and one or several statuses', async () => {
      expect(await found({ orderId: ids.o3 })).toEqual([ids.o3]);
      expect(await found({ orderId: randomUUID() })).toEqual([]);
      expect(await found({ userId: ids.u1 })).toEqual([ids.o1, ids.o2]);
      expect(await found({ status: ['CREATED', 'ACCEPTED'] })).toEqual([ids.o4, ids.o3]);
      expect(await found({ status: ['CANCELED'], userId: ids.u2 })).toEqual([]);
    });

    it('filters by last-update time, both ends inclusive', async () => {
      expect(await found({ from: '2026-01-11T00:00:00Z', to: '2026-01-11T23:59:59Z' })).toEqual([ids.o3, ids.o1]);
      expect(await found({ from: '2026-01-11T08:00:00Z', to: '2026-01-11T08:00:00Z' })).toEqual([ids.o1]);
      expect(await found({ to: '2026-01-10T23:59:59Z' })).toEqual([ids.o2]);
    });

    it('matches free text case-insensitively inside product ids, every term required', async () => {
      expect(await found({ q: 'esp' })).toEqual([ids.o1]);
      expect(await found({ q: 'BLEND special' })).toEqual([ids.o3]);
      expect(await found({ q: 'cup esp' })).toEqual([ids.o1]);
      expect(await found({ q: 'cup grn' })).toEqual([]);
      expect(await found({ q: '-00' })).toEqual([ids.o4, ids.o1, ids.o2]);
      expect(await found({ q: '*' })).toEqual([]);
    });

    it('pages with a stable total', async () => {
      const second = await search.search(query({ page: 2, size: 3 }));
      expect(second.total).toBe(4);
      expect(second.items.map((order) => order.id)).toEqual([ids.o2]);
      expect((await search.search(query({ page: 3, size: 3 }))).items).toEqual([]);
    });

    it('computes status counts, the daily trend and the busiest hour', async () => {
      expect(await search.stats({})).toEqual({
        statusCounts: { CREATED: 1, ACCEPTED: 1, PREPARED: 0, SHIPPED: 0, DELIVERED: 1, CANCELED: 1 },
        dailyTrend: [
          { date: '2026-01-10', count: 2 },
          { date: '2026-01-11', count: 1 },
          { date: '2026-01-12', count: 1 },
        ],
        busiestPeriod: { start: '2026-01-10T09:00:00.000Z', end: '2026-01-10T10:00:00.000Z', eventCount: 5 },
      });
      expect(await search.stats({ from: '2026-01-11T00:00:00Z' })).toEqual({
        statusCounts: { CREATED: 1, ACCEPTED: 1, PREPARED: 0, SHIPPED: 0, DELIVERED: 0, CANCELED: 0 },
        dailyTrend: [
          { date: '2026-01-11', count: 1 },
          { date: '2026-01-12', count: 1 },
        ],
        busiestPeriod: { start: '2026-01-11T14:00:00.000Z', end: '2026-01-11T15:00:00.000Z', eventCount: 2 },
      });
      expect((await search.stats({ from: '2030-01-01T00:00:00Z' })).busiestPeriod).toBeNull();
    });
  });
}
