import { randomUUID } from 'node:crypto';
import { OrderEventHeaders, type OrderLifecycleEvent } from '@ordertrack/shared';
import { describe, expect, it } from 'vitest';
import { decodeEvent, encodeEvent } from './kafka-message-codec.js';

const event = (overrides: Partial<OrderLifecycleEvent> = {}): OrderLifecycleEvent => ({
  eventId: randomUUID(),
  orderId: randomUUID(),
  userId: randomUUID(),
  type: 'updated',
  status: 'ACCEPTED',
  version: 2,
  timestamp: '2026-01-10T09:20:00.000Z',
  payload: { items: [{ productId: 'ESP-001', qty: 2 }] },
  ...overrides,
});

describe('Kafka message codec', () => {
  it('puts each event type on its SDD topic, keyed by order id, with routing headers', () => {
    const updated = event();
    expect(encodeEvent(updated)).toEqual({
      topic: 'order.updated',
      key: updated.orderId,
      value: JSON.stringify(updated),
      headers: {
        eventId: updated.eventId,
        type: 'updated',
        orderId: updated.orderId,
        version: '2',
        'content-type': 'application/json',
      },
    });
    expect(encodeEvent(event({ type: 'created', status: 'CREATED', version: 1 })).topic).toBe('order.created');
    expect(encodeEvent(event({ type: 'completed', status: 'DELIVERED' })).topic).toBe('order.completed');
    expect(encodeEvent(event({ type: 'canceled', status: 'CANCELED' })).topic).toBe('order.canceled');
  });

  it('writes the headers the AsyncAPI document describes', () => {
    expect(OrderEventHeaders.safeParse(encodeEvent(event({ version: 12 })).headers).error).toBeUndefined();
  });

  it('lets the caller choose topic names (prefixed test topics)', () => {
    expect(encodeEvent(event(), (type) => `run42.order.${type}`).topic).toBe('run42.order.updated');
  });

  it('decodes what it encodes, from bytes or text', () => {
    const original = event();
    const { value } = encodeEvent(original);
    expect(decodeEvent(Buffer.from(value))).toEqual({ ok: true, event: original });
    expect(decodeEvent(value)).toEqual({ ok: true, event: original });
  });

  it('refuses empty, non-JSON and schema-violating values with a reason', () => {
    expect(decodeEvent(undefined)).toEqual({ ok: false, error: 'empty value' });
    expect(decodeEvent(Buffer.alloc(0))).toEqual({ ok: false, error: 'empty value' });
    const notJson = decodeEvent(Buffer.from('{"orderId":'));
    expect(notJson.ok).toBe(false);
    expect(!notJson.ok && notJson.error).toMatch(/^not JSON/);
    const badVersion = decodeEvent(JSON.stringify({ ...event(), version: 0 }));
    expect(!badVersion.ok && badVersion.error).toMatch(/not an OrderLifecycleEvent: version/);
    const badStatus = decodeEvent(JSON.stringify({ ...event(), status: 'LOST' }));
    expect(!badStatus.ok && badStatus.error).toMatch(/status/);
    expect(decodeEvent(JSON.stringify([1, 2])).ok).toBe(false);
  });
});
