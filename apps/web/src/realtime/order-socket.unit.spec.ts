import type { OrderLifecycleEvent } from '@ordertrack/shared';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { receivePush } from './order-socket';

const pushed: OrderLifecycleEvent = {
  eventId: '00000000-0000-4000-8000-000000000003',
  orderId: '11111111-1111-4111-8111-111111111111',
  userId: '22222222-2222-4222-8222-222222222222',
  type: 'updated',
  status: 'SHIPPED',
  version: 3,
  timestamp: '2026-01-01T10:03:00.000Z',
  payload: { items: [{ productId: 'ESP-001', qty: 1 }] },
};

function receiver() {
  return { onEvent: vi.fn<(event: OrderLifecycleEvent) => void>(), onStale: vi.fn<() => void>() };
}

describe('a pushed order.updated', () => {
  afterEach(() => vi.restoreAllMocks());

  it('reaches the page when the contract allows it', () => {
    const page = receiver();
    receivePush(pushed, page);
    expect(page.onEvent).toHaveBeenCalledWith(pushed);
    expect(page.onStale).not.toHaveBeenCalled();
  });

  it.each([
    ['a status that does not exist', { ...pushed, status: 'LOST' }],
    ['no version', { ...pushed, version: undefined }],
    ['not an object', 'order 1111 shipped'],
  ])('with %s is not shown, and the page refetches instead', (_, malformed) => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const page = receiver();
    receivePush(malformed, page);
    expect(page.onEvent).not.toHaveBeenCalled();
    expect(page.onStale).toHaveBeenCalledOnce();
    expect(warn).toHaveBeenCalledOnce();
  });
});
