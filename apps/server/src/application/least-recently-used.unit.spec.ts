import { describe, expect, it } from 'vitest';
import { LeastRecentlyUsed } from './least-recently-used.js';

describe('LeastRecentlyUsed', () => {
  it('keeps at most its limit, dropping the entry used longest ago', () => {
    const entries = new LeastRecentlyUsed<string, number>(2);
    entries.set('a', 1);
    entries.set('b', 2);
    expect(entries.get('a')).toBe(1);
    entries.set('c', 3);
    expect(entries.size).toBe(2);
    expect(entries.get('b')).toBeUndefined();
    expect(entries.get('a')).toBe(1);
    expect(entries.get('c')).toBe(3);
  });

  it('does not count a peek as a use', () => {
    const entries = new LeastRecentlyUsed<string, number>(2);
    entries.set('a', 1);
    entries.set('b', 2);
    expect(entries.peek('a')).toBe(1);
    entries.set('c', 3);
    expect(entries.peek('a')).toBeUndefined();
    expect(entries.peek('b')).toBe(2);
  });

  it('replaces a value in place and forgets a deleted key', () => {
    const entries = new LeastRecentlyUsed<string, number>(2);
    entries.set('a', 1);
    entries.set('a', 2);
    expect(entries.size).toBe(1);
    expect(entries.get('a')).toBe(2);
    entries.delete('a');
    expect(entries.get('a')).toBeUndefined();
  });
});
