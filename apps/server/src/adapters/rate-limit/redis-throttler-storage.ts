import type { OnApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import { createRedisClient, type RedisConnection } from '../redis/redis-connection.js';

/** One round trip: count the hit, start the window on the first one, report the window's remaining time. */
const HIT_SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {hits, redis.call('PTTL', KEYS[1])}
`;

interface ThrottlerRecord {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

/**
 * Fixed-window counters in Redis, so every instance enforces the same limit for a caller.
 * A caller over the limit stays blocked until its window ends.
 */
export class RedisThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly client: Redis;

  constructor(
    connection: RedisConnection,
    private readonly keyPrefix: string,
  ) {
    this.client = createRedisClient(connection, { maxRetriesPerRequest: 2 });
    this.client.on('error', () => undefined);
  }

  async increment(
    key: string,
    ttlMs: number,
    limit: number,
    _blockMs: number,
    throttler: string,
  ): Promise<ThrottlerRecord> {
    const [hits, remainingMs] = (await this.client.eval(
      HIT_SCRIPT,
      1,
      `${this.keyPrefix}:throttle:${throttler}:${key}`,
      String(ttlMs),
    )) as [number, number];
    const seconds = Math.max(1, Math.ceil(remainingMs / 1000));
    const isBlocked = hits > limit;
    return { totalHits: hits, timeToExpire: seconds, isBlocked, timeToBlockExpire: isBlocked ? seconds : 0 };
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.quit().catch(() => undefined);
  }
}
