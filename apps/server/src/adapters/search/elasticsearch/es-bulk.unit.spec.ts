import type { OrderLifecycleEvent } from '@ordertrack/shared';
import type { estypes } from '@elastic/elasticsearch';
import { describe, expect, it } from 'vitest';
import { bulkFailures, bulkOperations, latestEventPerOrder, ordersNeedingCreatedAt } from './es-bulk.js';
import { esIndexNames } from './es-index-definitions.js';

const names = esIndexNames('ot');
const ORDER_A = '0b6f6f5e-6a53-4b5e-9d6c-2f0f3d1c9a11';
const ORDER_B = '1b6f6f5e-6a53-4b5e-9d6c-2f0f3d1c9a11';
const USER = '5c0e3a8e-1f7e-4a55-8a8b-3c1d2e4f5a6b';

function event(orderId: string, version: number, timestamp: string): OrderLifecycleEvent {
  return {
    eventId: `${orderId.slice(0, 8)}-0000-4000-8000-00000000000${version}`,
    orderId,
    userId: USER,
    type: version === 1 ? 'created' : 'updated',
    status: version === 1 ? 'CREATED' : 'ACCEPTED',
    version,
    timestamp,
    payload: { items: [{ productId: 'ESP-001', qty: 2 }] },
  };
}

describe('bulk planning', () => {
  const a1 = event(ORDER_A, 1, '2026-01-31T23:00:00.000Z');
  const a2 = event(ORDER_A, 2, '2026-02-01T01:00:00.000Z');
  const b3 = event(ORDER_B, 3, '2026-02-02T00:00:00.000Z');

  it('keeps only the newest event per order for the current state', () => {
    expect([...latestEventPerOrder([a2, a1, b3]).values()]).toEqual([a2, b3]);
  });

  it('asks for creation times only of orders whose version 1 is not in the batch', () => {
    expect(ordersNeedingCreatedAt([a1, a2, b3, b3])).toEqual([ORDER_B]);
  });

  it('creates one history document per event in its month and versions the current state externally', () => {
    const createdAt = new Map([
      [ORDER_A, new Date(a1.timestamp)],
      [ORDER_B, new Date('2026-01-01T00:00:00Z')],
    ]);
    const lines = bulkOperations(names, [a1, a2, b3], createdAt);
    expect(lines.filter((_, i) => i % 2 === 0)).toEqual([
      { create: { _index: 'ot-history-2026.01', _id: a1.eventId } },
      { create: { _index: 'ot-history-2026.02', _id: a2.eventId } },
      { create: { _index: 'ot-history-2026.02', _id: b3.eventId } },
      { index: { _index: 'ot-orders', _id: ORDER_A, version: 2, version_type: 'external' } },
      { index: { _index: 'ot-orders', _id: ORDER_B, version: 3, version_type: 'external' } },
    ]);
    expect(lines[1]).toEqual({
      eventId: a1.eventId,
      orderId: ORDER_A,
      userId: USER,
      type: 'created',
      status: 'CREATED',
      version: 1,
      timestamp: a1.timestamp,
      items: [{ productId: 'ESP-001', qty: 2 }],
    });
    expect(lines[7]).toEqual({
      id: ORDER_A,
      userId: USER,
      status: 'ACCEPTED',
      items: [{ productId: 'ESP-001', qty: 2 }],
      version: 2,
      createdAt: a1.timestamp,
      updatedAt: a2.timestamp,
    });
  });

  it('refuses to write a current state without a creation time', () => {
    expect(() => bulkOperations(names, [b3], new Map())).toThrow(/no creation time known for order/);
  });
});

describe('bulkFailures', () => {
  const item = (status: number, type?: string): Record<string, estypes.BulkResponseItem> => ({
    index: {
      _index: 'ot-orders',
      _id: ORDER_A,
      status,
      ...(type === undefined ? {} : { error: { type, reason: 'because' } }),
    },
  });
  const response = (items: Array<Record<string, estypes.BulkResponseItem>>): estypes.BulkResponse => ({
    errors: items.some((i) => i['index']?.error !== undefined),
    took: 1,
    items,
  });

  it('treats conflicts (duplicates, stale versions) as done', () => {
    expect(bulkFailures(response([item(201), item(409, 'version_conflict_engine_exception')]))).toEqual([]);
  });

  it('reports every other failed item', () => {
    expect(bulkFailures(response([item(201), item(429, 'es_rejected_execution_exception'), item(400, 'x')]))).toEqual([
      {
        action: 'index',
        index: 'ot-orders',
        id: ORDER_A,
        status: 429,
        reason: 'es_rejected_execution_exception: because',
      },
      { action: 'index', index: 'ot-orders', id: ORDER_A, status: 400, reason: 'x: because' },
    ]);
  });
});
