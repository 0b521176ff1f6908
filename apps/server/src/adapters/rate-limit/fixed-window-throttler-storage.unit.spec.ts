import { afterEach, describe, expect, it } from 'vitest';
import { FixedWindowThrottlerStorage } from './fixed-window-throttler-storage.js';

describe('FixedWindowThrottlerStorage', () => {
  let now = 1_000_000;
  let storage: FixedWindowThrottlerStorage | undefined;
  const open = (): FixedWindowThrottlerStorage => (storage = new FixedWindowThrottlerStorage(() => now));

  afterEach(() => storage?.onApplicationShutdown());

  it('counts hits per caller and throttler, blocks past the limit until the window ends, then starts afresh', async () => {
    const limits = open();
    expect(await limits.increment('a', 60_000, 2, 60_000, 'default')).toMatchObject({ totalHits: 1, isBlocked: false });
    expect(await limits.increment('a', 60_000, 2, 60_000, 'default')).toMatchObject({ totalHits: 2, isBlocked: false });
    expect(await limits.increment('b', 60_000, 2, 60_000, 'default')).toMatchObject({ totalHits: 1 });
    expect(await limits.increment('a', 60_000, 2, 60_000, 'login')).toMatchObject({ totalHits: 1 });
    now += 20_500;
    expect(await limits.increment('a', 60_000, 2, 60_000, 'default')).toEqual({
      totalHits: 3,
      timeToExpire: 40,
      isBlocked: true,
      timeToBlockExpire: 40,
    });
    now += 39_500;
    expect(await limits.increment('a', 60_000, 2, 60_000, 'default')).toMatchObject({ totalHits: 1, isBlocked: false });
  });

  it('counts a large window exactly, keeping one counter rather than one entry per hit', async () => {
    const limits = open();
    let last;
    for (let hit = 0; hit < 200_000; hit += 1) last = await limits.increment('a', 60_000, 1_000_000, 60_000, 'default');
    expect(last).toMatchObject({ totalHits: 200_000, isBlocked: false });
  });
});
