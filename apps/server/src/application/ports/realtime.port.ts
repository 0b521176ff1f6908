import type { OrderLifecycleEvent } from '@ordertrack/shared';

/** Pushes an event to every connected client allowed to see it: its owner and all admins. */
export abstract class RealtimeNotifier {
  abstract push(event: OrderLifecycleEvent): void;
}
