import type { OnApplicationShutdown } from '@nestjs/common';
import type { ThrottlerStorage } from '@nestjs/throttler';

export interface ThrottlerRecord {
  totalHits: number;
  timeToExpire: number;
  isBlocked: boolean;
  timeToBlockExpire: number;
}

interface Window {
  hits: number;
  endsAt: number;
}

const SWEEP_INTERVAL_MS = 60_000;

/** What a caller is told about its window: whole seconds left, at least one, blocked once past the limit. */
export function windowRecord(hits: number, remainingMs: number, limit: number): ThrottlerRecord {
  const seconds = Math.max(1, Math.ceil(remainingMs / 1000));
  const isBlocked = hits > limit;
  return { totalHits: hits, timeToExpire: seconds, isBlocked, timeToBlockExpire: isBlocked ? seconds : 0 };
}

/**
 * Fixed-window counters in this process, the same rule as the Redis script: the first hit opens a window of
 * `ttl`, every hit counts, a caller over the limit stays blocked until its window ends. A hit costs O(1):
 * @nestjs/throttler's own in-memory storage keeps one timestamp per hit and copies and scans them all on every
 * request, which a profile of order creation at 1,000 requests/s from one address showed at ~5% of the CPU.
 */
export class FixedWindowThrottlerStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly windows = new Map<string, Window>();
  private readonly sweep: NodeJS.Timeout;

  constructor(private readonly now: () => number = Date.now) {
    this.sweep = setInterval(() => this.forgetEndedWindows(), SWEEP_INTERVAL_MS);
    this.sweep.unref();
  }

  async increment(
    key: string,
    ttlMs: number,
    limit: number,
    _blockMs: number,
    throttler: string,
  ): Promise<ThrottlerRecord> {
    const id = `${throttler}:${key}`;
    const now = this.now();
    let window = this.windows.get(id);
    if (window === undefined || window.endsAt <= now) {
      window = { hits: 0, endsAt: now + ttlMs };
      this.windows.set(id, window);
    }
    window.hits += 1;
    return windowRecord(window.hits, window.endsAt - now, limit);
  }

  onApplicationShutdown(): void {
    clearInterval(this.sweep);
  }

  private forgetEndedWindows(): void {
    const now = this.now();
    for (const [id, window] of this.windows) if (window.endsAt <= now) this.windows.delete(id);
  }
}
