import { Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import type { Client } from '@elastic/elasticsearch';
import type { Clock } from '../../../application/ports/clock.port.js';
import type { EsIndexMaintenance } from './es-index-maintenance.js';

const DAY_MS = 86_400_000;

/**
 * Creates missing indices at start and applies history retention at start and daily (our stand-in for ILM, see
 * es-index-definitions.ts). An unreachable cluster does not stop the server: search reports down in /health, and
 * the indexer creates the indices itself before its first write.
 */
export class ElasticsearchLifecycle implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(ElasticsearchLifecycle.name);
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: Client,
    private readonly maintenance: EsIndexMaintenance,
    private readonly clock: Clock,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.maintain();
    this.timer = setInterval(() => void this.maintain(), DAY_MS);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.client.close();
  }

  private async maintain(): Promise<void> {
    try {
      await this.maintenance.ensureIndices();
      const deleted = await this.maintenance.applyRetention(this.clock.now());
      if (deleted.length > 0) this.logger.log(`history retention deleted ${deleted.join(', ')}`);
    } catch (error) {
      this.logger.warn(`Elasticsearch index maintenance failed, retried later: ${String(error)}`);
    }
  }
}
