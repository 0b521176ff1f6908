import type { OrderLifecycleEvent } from '@ordertrack/shared';
import { describe, expect, it } from 'vitest';
import type { OrderState } from '../../domain/orders/order-state.js';
import { EventSubscriber, type EventBatchHandler, type Subscription } from '../ports/event-bus.port.js';
import { OrderStore, type OrderChange } from '../ports/order-store.port.js';
import { RealtimeNotifier } from '../ports/realtime.port.js';
import { OrderFanoutConsumer } from './order-fanout.consumer.js';
import { PushSequencer } from './push-sequencer.js';

const event = (orderId: string, version: number): OrderLifecycleEvent => ({
  eventId: `${orderId}-${version}`,
  orderId,
  userId: 'u',
  type: version === 1 ? 'created' : 'updated',
  status: version === 1 ? 'CREATED' : 'ACCEPTED',
  version,
  timestamp: new Date(0).toISOString(),
  payload: { items: [] },
});

class RecordingNotifier extends RealtimeNotifier {
  readonly pushed: string[] = [];
  push(pushed: OrderLifecycleEvent): void {
    this.pushed.push(`${pushed.orderId}@${pushed.version}`);
  }
}

/** The history a real store would return: versions 1..5 of every order. */
class HistoryStore extends OrderStore {
  create(): Promise<OrderChange> {
    return Promise.reject(new Error('not used'));
  }
  execute(): Promise<OrderChange> {
    return Promise.reject(new Error('not used'));
  }
  findById(): Promise<OrderState | null> {
    return Promise.resolve(null);
  }
  listByUser(): Promise<OrderState[]> {
    return Promise.resolve([]);
  }
  eventsAfter(positions: ReadonlyArray<{ orderId: string; lastVersion: number }>): Promise<OrderLifecycleEvent[]> {
    return Promise.resolve(
      positions.flatMap(({ orderId, lastVersion }) =>
        [1, 2, 3, 4, 5].filter((version) => version > lastVersion).map((version) => event(orderId, version)),
      ),
    );
  }
}

class NoBus extends EventSubscriber {
  subscribe(_group: string, _handler: EventBatchHandler): Promise<Subscription> {
    return Promise.resolve({ close: () => Promise.resolve() });
  }
}

describe('websocket fan-out ordering', () => {
  const consumerWith = (notifier: RecordingNotifier): OrderFanoutConsumer =>
    new OrderFanoutConsumer(new NoBus(), notifier, new HistoryStore());

  it('pushes in version order once, whatever order and repetition the bus delivers in', async () => {
    const notifier = new RecordingNotifier();
    const consumer = consumerWith(notifier);
    await consumer.handle([event('a', 1), event('b', 2)]);
    await consumer.handle([event('a', 3), event('a', 2), event('b', 1)]);
    await consumer.handle([event('a', 3), event('b', 3), event('a', 4)]);
    expect(notifier.pushed.filter((push) => push.startsWith('a@'))).toEqual(['a@1', 'a@2', 'a@3', 'a@4']);
    expect(notifier.pushed.filter((push) => push.startsWith('b@'))).toEqual(['b@1', 'b@2', 'b@3']);
  });

  it('forgets the least recently pushed orders beyond its capacity', () => {
    const sequencer = new PushSequencer(2);
    sequencer.markPushed('a', 1);
    sequencer.markPushed('b', 1);
    sequencer.markPushed('a', 2);
    sequencer.markPushed('c', 1);
    expect(sequencer.plan(event('a', 2))).toEqual({ kind: 'duplicate' });
    expect(sequencer.plan(event('b', 2))).toEqual({ kind: 'fill', afterVersion: 0 });
  });
});
