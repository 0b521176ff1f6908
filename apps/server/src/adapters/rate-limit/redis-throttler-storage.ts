import { Logger, type OnApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { Redis } from 'ioredis';
import { createRedisClient, type RedisConnection } from '../redis/redis-connection.js';
import { FixedWindowThrottlerStorage, windowRecord, type ThrottlerRecord } from './fixed-window-throttler-storage.js';

/** One round trip: count the hit, start the window on the first one, report the window's remaining time. */
const HIT_SCRIPT = `
local hits = redis.call('INCR', KEYS[1])
if hits == 1 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return {hits, redis.call('PTTL', KEYS[1])}
`;

/**
 * Fixed-window counters in Redis, so every instance enforces the same limit for a caller.
 * A caller over the limit stays blocked until its window ends.
 *
 * While Redis is unreachable the limits fail open to this instance's own in-memory counters: each instance then
 * enforces the limit on its own (a caller spread over N instances gets up to N times the budget) instead of
 * refusing every request or answering 500. The shared counters take over again as soon as Redis answers.
 */
export class RedisThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger(RedisThrottlerStorage.name);
  private readonly client: Redis;
  private readonly local = new FixedWindowThrottlerStorage();
  private sharedAvailable = true;

  constructor(
    connection: RedisConnection,
    private readonly keyPrefix: string,
  ) {
    // No offline queue and no retry: while Redis is down a hit fails at once and is counted locally instead of
    // holding the request until Redis returns.
    this.client = createRedisClient(connection, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    this.client.on('error', () => undefined);
  }

  async increment(
    key: string,
    ttlMs: number,
    limit: number,
    blockMs: number,
    throttler: string,
  ): Promise<ThrottlerRecord> {
    let reply: [number, number];
    try {
      reply = (await this.client.eval(
        HIT_SCRIPT,
        1,
        `${this.keyPrefix}:throttle:${throttler}:${key}`,
        String(ttlMs),
      )) as [number, number];
    } catch (error) {
      this.noteAvailability(false, error);
      return this.local.increment(key, ttlMs, limit, blockMs, throttler);
    }
    this.noteAvailability(true);
    const [hits, remainingMs] = reply;
    return windowRecord(hits, remainingMs, limit);
  }

  async onApplicationShutdown(): Promise<void> {
    this.local.onApplicationShutdown();
    await this.client.quit().catch(() => undefined);
  }

  /** Logs each switch once, not every request of an outage. */
  private noteAvailability(available: boolean, error?: unknown): void {
    if (available === this.sharedAvailable) return;
    this.sharedAvailable = available;
    if (available) this.logger.log('Redis is back: rate limits are shared across instances again');
    else this.logger.warn(`Redis unavailable, rate limits fall back to per-instance counters: ${String(error)}`);
  }
}
