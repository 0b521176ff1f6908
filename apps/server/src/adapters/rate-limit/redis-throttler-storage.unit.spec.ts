import { afterEach, describe, expect, it } from 'vitest';
import { RedisThrottlerStorage } from './redis-throttler-storage.js';

/** Nothing listens on port 1 of the loopback: every Redis command fails at once, as during an outage. */
const UNREACHABLE_REDIS = 'redis://127.0.0.1:1';

describe('RedisThrottlerStorage while Redis is unreachable', () => {
  let storage: RedisThrottlerStorage | undefined;

  afterEach(async () => {
    await storage?.onApplicationShutdown();
  });

  it('counts hits on this instance instead of failing the request, and still blocks over the limit', async () => {
    storage = new RedisThrottlerStorage({ url: UNREACHABLE_REDIS }, 'test');
    const hit = (): ReturnType<RedisThrottlerStorage['increment']> =>
      (storage as RedisThrottlerStorage).increment('127.0.0.1', 60_000, 2, 60_000, 'default');

    expect(await hit()).toMatchObject({ totalHits: 1, isBlocked: false });
    expect(await hit()).toMatchObject({ totalHits: 2, isBlocked: false });
    const third = await hit();
    expect(third).toMatchObject({ totalHits: 3, isBlocked: true });
    expect(third.timeToBlockExpire).toBeGreaterThan(0);
  });
});
