import type { OnApplicationShutdown } from '@nestjs/common';
import type { ElasticsearchLogShipper } from './logging/elasticsearch-log-shipper.js';

/** Sends the last buffered log lines before the process exits. */
export class LogShippingLifecycle implements OnApplicationShutdown {
  constructor(private readonly shipper: ElasticsearchLogShipper | undefined) {}

  async onApplicationShutdown(): Promise<void> {
    await this.shipper?.close();
  }
}
