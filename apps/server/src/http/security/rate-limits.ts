import type { ExecutionContext } from '@nestjs/common';
import type { ThrottlerModuleOptions } from '@nestjs/throttler';
import type { Request } from 'express';
import type { AppConfig } from '../../config/app-config.js';
import { FixedWindowThrottlerStorage } from '../../adapters/rate-limit/fixed-window-throttler-storage.js';
import { RedisThrottlerStorage } from '../../adapters/rate-limit/redis-throttler-storage.js';
import { redisConnection } from '../../adapters/redis/redis-connection.js';

const WINDOW_MS = 60_000;

const isLogin = (context: ExecutionContext): boolean =>
  context.switchToHttp().getRequest<Request>().path === '/auth/login';

/** One window per minute; sign-in gets its own, much smaller budget. Shared through Redis when configured. */
export function rateLimitOptions(config: AppConfig): ThrottlerModuleOptions {
  const { RATE_LIMIT_PER_MINUTE, LOGIN_RATE_LIMIT_PER_MINUTE, REDIS_KEY_PREFIX } = config.env;
  const redis = redisConnection(config);
  return {
    throttlers: [
      {
        name: 'default',
        ttl: WINDOW_MS,
        limit: (context) => (isLogin(context) ? LOGIN_RATE_LIMIT_PER_MINUTE : RATE_LIMIT_PER_MINUTE),
      },
    ],
    errorMessage: 'too many requests: slow down and retry after the number of seconds in Retry-After',
    storage:
      redis === undefined ? new FixedWindowThrottlerStorage() : new RedisThrottlerStorage(redis, REDIS_KEY_PREFIX),
  };
}
