import { Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { Redis } from 'ioredis';
import type { DependencyProbe } from '../../application/ports/dependency-probe.port.js';
import { createRedisClient, type RedisConnection } from '../redis/redis-connection.js';

/** Readiness of the Redis that carries socket fan-out between instances. */
@Injectable()
export class RedisProbe implements DependencyProbe, OnApplicationShutdown {
  readonly name = 'realtime';
  readonly adapter = 'redis-streams';
  private readonly client: Redis;

  constructor(connection: RedisConnection) {
    this.client = createRedisClient(connection, {
      lazyConnect: true,
      maxRetriesPerRequest: 1,
      enableOfflineQueue: false,
    });
    // Failures surface through check(); the client reconnects by itself.
    this.client.on('error', () => undefined);
  }

  async check(): Promise<void> {
    if (this.client.status === 'wait') await this.client.connect();
    await this.client.ping();
  }

  async onApplicationShutdown(): Promise<void> {
    await this.client.quit().catch(() => undefined);
  }
}
