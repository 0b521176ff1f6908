import { randomUUID } from 'node:crypto';
import type { OutboxEntry } from './outbox-store.port.js';

/**
 * How the events this process commits reach its own relay without the relay reading them back from the table: the
 * order store hands each committed statement's events over with their positions, and signs the statement's NOTIFY
 * with `writerId`, so the relay reads the table only when someone else wrote (another instance, a process before a
 * restart) or when its poll comes round. Nothing depends on a hand-over arriving: every event is in the table, and
 * a relay that dropped or failed one reads the table instead.
 */
export class CommittedEntries {
  readonly writerId = randomUUID();
  private receiver: ((entries: readonly OutboxEntry[]) => void) | undefined;

  hand(entries: readonly OutboxEntry[]): void {
    if (entries.length > 0) this.receiver?.(entries);
  }

  /** The relay of this process takes the hand-overs; returns a function that stops them. */
  receive(receiver: (entries: readonly OutboxEntry[]) => void): () => void {
    this.receiver = receiver;
    return () => {
      if (this.receiver === receiver) this.receiver = undefined;
    };
  }
}
