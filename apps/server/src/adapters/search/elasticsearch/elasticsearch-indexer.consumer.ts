import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EventSubscriber, type Subscription } from '../../../application/ports/event-bus.port.js';
import { ElasticsearchIndexer } from './elasticsearch-indexer.js';

export const ELASTICSEARCH_INDEXER_GROUP = 'elasticsearch-indexer';

/**
 * Feeds every lifecycle event into Elasticsearch as its own consumer group. Registered only when
 * ELASTICSEARCH_URL is set; the indexer throws on failure, so the bus redelivers.
 */
@Injectable()
export class ElasticsearchIndexerConsumer implements OnApplicationBootstrap, OnApplicationShutdown {
  private subscription: Subscription | undefined;

  constructor(
    private readonly subscriber: EventSubscriber,
    private readonly indexer: ElasticsearchIndexer,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.subscription = await this.subscriber.subscribe(ELASTICSEARCH_INDEXER_GROUP, this.indexer.handle);
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.close();
  }
}
