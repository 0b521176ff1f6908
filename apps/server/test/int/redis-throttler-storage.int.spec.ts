import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { RedisThrottlerStorage } from '../../src/adapters/rate-limit/redis-throttler-storage.js';
import { TEST_REDIS_URL } from '../support/redis.js';

describe('RedisThrottlerStorage on a real Redis', () => {
  const prefix = `throttle-test-${randomBytes(4).toString('hex')}`;
  const inspector = new Redis(TEST_REDIS_URL);
  const storages: RedisThrottlerStorage[] = [];
  /** A storage whose client is connected: until then a hit is counted locally (no offline queue, by design). */
  const open = async (): Promise<RedisThrottlerStorage> => {
    const storage = new RedisThrottlerStorage({ url: TEST_REDIS_URL }, prefix);
    storages.push(storage);
    // A key of its own: one an earlier storage counted would exist in Redis before this storage reached it.
    const probe = `probe-${randomBytes(4).toString('hex')}`;
    const deadline = Date.now() + 5000;
    for (;;) {
      await storage.increment(probe, 60_000, 1000, 60_000, 'probe');
      if ((await inspector.exists(`${prefix}:throttle:probe:${probe}`)) === 1) return storage;
      if (Date.now() > deadline) throw new Error('the storage never reached Redis');
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  afterEach(async () => {
    await Promise.all(storages.splice(0).map((storage) => storage.onApplicationShutdown()));
  });

  afterAll(async () => {
    const keys = await inspector.keys(`${prefix}:*`);
    if (keys.length > 0) await inspector.del(...keys);
    await inspector.quit();
  });

  it('gives concurrent hits on two instances distinct numbers and blocks exactly past the limit', async () => {
    const [first, second] = [await open(), await open()];
    const limit = 50;
    const hit = (storage: RedisThrottlerStorage, key: string) =>
      storage.increment(key, 60_000, limit, 60_000, 'default');
    const records = await Promise.all(
      Array.from({ length: 60 }, (_, index) => hit(index % 2 === 0 ? first : second, 'caller-a')),
    );
    const others = await Promise.all(Array.from({ length: 3 }, () => hit(first, 'caller-b')));

    expect(records.map((record) => record.totalHits).sort((a, b) => a - b)).toEqual(
      Array.from({ length: 60 }, (_, index) => index + 1),
    );
    expect(records.filter((record) => record.isBlocked)).toHaveLength(10);
    for (const record of records.filter((each) => each.isBlocked)) expect(record.timeToBlockExpire).toBeGreaterThan(0);
    expect(others.map((record) => record.totalHits)).toEqual([1, 2, 3]);
    expect(Number(await inspector.get(`${prefix}:throttle:default:caller-a`))).toBe(60);
    expect(await inspector.pttl(`${prefix}:throttle:default:caller-a`)).toBeGreaterThan(50_000);
  });

  it('starts a new window once the last one ended', async () => {
    const storage = await open();
    expect(await storage.increment('caller-c', 1000, 1, 1000, 'default')).toMatchObject({
      totalHits: 1,
      isBlocked: false,
    });
    expect(await storage.increment('caller-c', 1000, 1, 1000, 'default')).toMatchObject({
      totalHits: 2,
      isBlocked: true,
    });
    const deadline = Date.now() + 5000;
    while ((await inspector.exists(`${prefix}:throttle:default:caller-c`)) === 1 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await storage.increment('caller-c', 1000, 1, 1000, 'default')).toMatchObject({
      totalHits: 1,
      isBlocked: false,
    });
  });
});
