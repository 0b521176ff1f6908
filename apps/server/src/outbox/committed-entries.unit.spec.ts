import { describe, expect, it } from 'vitest';
import { CommittedEntries } from './committed-entries.js';

describe('CommittedEntries', () => {
  it('asks commits to wake other processes unless its own relay takes the hand-overs and leads', () => {
    const committed = new CommittedEntries();
    expect(committed.othersMustBeWoken).toBe(true);
    committed.leads(true);
    expect(committed.othersMustBeWoken).toBe(true);
    const stopReceiving = committed.receive(() => undefined);
    expect(committed.othersMustBeWoken).toBe(false);
    committed.leads(false);
    expect(committed.othersMustBeWoken).toBe(true);
    committed.leads(true);
    stopReceiving();
    expect(committed.othersMustBeWoken).toBe(true);
  });
});
