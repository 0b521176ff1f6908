import { Redis, type RedisOptions } from 'ioredis';
import type { AppConfig } from '../../config/app-config.js';

/** How to reach Redis: its URL (`rediss://` = TLS) and, with REDIS_CA_FILE, the CA its certificate is signed by. */
export interface RedisConnection {
  url: string;
  ca?: string;
}

export function redisConnection({ env, tls }: AppConfig): RedisConnection | undefined {
  if (env.REDIS_URL === undefined) return undefined;
  return tls.redisCa === undefined ? { url: env.REDIS_URL } : { url: env.REDIS_URL, ca: tls.redisCa };
}

/**
 * A client for the connection. `rediss://` alone verifies the server against the system CAs; a CA replaces them.
 * Either way Node checks the chain and the host name.
 */
export function createRedisClient(connection: RedisConnection, options: RedisOptions): Redis {
  return new Redis(connection.url, withTls(connection, options));
}

/** The options plus, with a CA, TLS verified against it (for clients built without `createRedisClient`). */
export function withTls<Options extends RedisOptions>({ ca }: RedisConnection, options: Options): Options {
  return ca === undefined ? options : { ...options, tls: { ca, rejectUnauthorized: true } };
}
