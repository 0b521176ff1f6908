import { Injectable, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { EventSubscriber, type Subscription } from '../../../application/ports/event-bus.port.js';
import { ElasticsearchIndexer } from './elasticsearch-indexer.js';

export const ELASTICSEARCH_INDEXER_GROUP = 'elasticsearch-indexer';
/**
 * Indexed events become searchable at the next refresh (1 s) anyway; gathering a quarter of that turns hundreds of
 * one-event bulk requests per second into a few large ones, which is most of what Elasticsearch spends its CPU on
 * under load.
 */
const INDEXER_GATHER_MS = 250;

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
    this.subscription = await this.subscriber.subscribe(ELASTICSEARCH_INDEXER_GROUP, this.indexer.handle, {
      gatherMs: INDEXER_GATHER_MS,
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.subscription?.close();
  }
}
