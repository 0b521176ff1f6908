import type { OrderLifecycleEvent, OrderStatus } from '@ordertrack/shared';
import { describe, expect, it } from 'vitest';
import { forwardPath, timelineSteps } from './timeline-steps';

const reached = (status: OrderStatus, version: number): OrderLifecycleEvent => ({
  eventId: `00000000-0000-4000-8000-00000000000${version}`,
  orderId: '11111111-1111-4111-8111-111111111111',
  userId: '22222222-2222-4222-8222-222222222222',
  type: 'updated',
  status,
  version,
  timestamp: `2026-01-01T10:0${version}:00.000Z`,
  payload: { items: [] },
});

describe('timelineSteps', () => {
  it('follows the shared lifecycle table to DELIVERED', () => {
    expect(forwardPath()).toEqual(['CREATED', 'ACCEPTED', 'PREPARED', 'SHIPPED', 'DELIVERED']);
  });

  it('shows reached steps with their time and the rest as pending', () => {
    const steps = timelineSteps([reached('CREATED', 1), reached('ACCEPTED', 2)], 'ACCEPTED');
    expect(steps.map((step) => [step.status, step.at !== undefined])).toEqual([
      ['CREATED', true],
      ['ACCEPTED', true],
      ['PREPARED', false],
      ['SHIPPED', false],
      ['DELIVERED', false],
    ]);
  });

  it('ends a canceled order at CANCELED', () => {
    const steps = timelineSteps([reached('CREATED', 1), reached('CANCELED', 2)], 'CANCELED');
    expect(steps.map((step) => step.status)).toEqual(['CREATED', 'CANCELED']);
    expect(steps[1]?.at).toBe('2026-01-01T10:02:00.000Z');
  });
});
