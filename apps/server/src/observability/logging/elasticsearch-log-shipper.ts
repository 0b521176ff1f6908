import { Client } from '@elastic/elasticsearch';
import { elasticsearchClientOptions } from '../../adapters/search/elasticsearch/es-client.js';
import type { ElasticsearchConnection } from '../../adapters/search/elasticsearch/es-connection.js';
import { dailyIndexName, timestampOf } from './daily-index.js';

export interface LogShipperOptions {
  connection: ElasticsearchConnection;
  indexPrefix: string;
  /** Lines sent per bulk request; a full batch is sent at once. */
  batchSize?: number;
  /** A partial batch waits at most this long. */
  flushIntervalMs?: number;
  /** Lines kept while Elasticsearch is slow or down; beyond it new lines are dropped (and counted). */
  maxBufferedLines?: number;
  onDropped?: (lines: number) => void;
}

const STDERR_REPORT_INTERVAL_MS = 60_000;

/**
 * A pino destination that also ships every JSON line to Elasticsearch with `_bulk`, into a daily index.
 * Daily indices rather than a data stream because the Elasticsearch we test against has no data-stream, ingest
 * or ILM modules; `create` operations keep the documents append-only either way.
 * Shipping never blocks or fails logging: failures drop the batch, count it, and say so on stderr (not through
 * the logger, which would loop) at most once a minute.
 */
export class ElasticsearchLogShipper {
  private readonly client: Client;
  private readonly batchSize: number;
  private readonly maxBufferedLines: number;
  private buffer: string[] = [];
  private inFlight: Promise<void> = Promise.resolve();
  private readonly timer: NodeJS.Timeout;
  private templateReady: Promise<void> | undefined;
  private lastReport = 0;

  constructor(private readonly options: LogShipperOptions) {
    this.client = new Client(elasticsearchClientOptions(options.connection));
    this.batchSize = options.batchSize ?? 500;
    this.maxBufferedLines = options.maxBufferedLines ?? 20_000;
    this.timer = setInterval(() => void this.flush(), options.flushIntervalMs ?? 1000);
    this.timer.unref();
  }

  /** pino's DestinationStream: one serialized log line per call. */
  write(line: string): void {
    if (this.buffer.length >= this.maxBufferedLines) {
      this.dropped(1, new Error('log shipping buffer full'));
      return;
    }
    this.buffer.push(line);
    if (this.buffer.length >= this.batchSize) void this.flush();
  }

  /** Sends what is buffered; resolves when every batch handed over so far has been answered. */
  flush(): Promise<void> {
    const lines = this.buffer;
    this.buffer = [];
    if (lines.length > 0) this.inFlight = this.inFlight.then(() => this.send(lines));
    return this.inFlight;
  }

  async close(): Promise<void> {
    clearInterval(this.timer);
    await this.flush();
    await this.client.close();
  }

  private async send(lines: string[]): Promise<void> {
    const operations: unknown[] = [];
    for (const line of lines) {
      let document: Record<string, unknown>;
      try {
        document = JSON.parse(line) as Record<string, unknown>;
      } catch {
        document = { '@timestamp': new Date().toISOString(), message: line };
      }
      const index = dailyIndexName(
        this.options.indexPrefix,
        timestampOf(document, () => new Date()),
      );
      operations.push({ create: { _index: index } }, document);
    }
    try {
      await this.ensureTemplate();
      const result = await this.client.bulk({ operations });
      if (result.errors) {
        const failed = result.items.filter((item) => item.create?.error !== undefined);
        this.dropped(failed.length, new Error(JSON.stringify(failed[0]?.create?.error)));
      }
    } catch (error) {
      this.dropped(lines.length, error);
    }
  }

  /**
   * Maps every string field to `keyword` (exact match and aggregations in Kibana: request ids, user ids, routes)
   * except the free-text `message`. A failure here is retried with the next batch.
   */
  private ensureTemplate(): Promise<void> {
    this.templateReady ??= this.client.indices
      .putIndexTemplate({
        name: this.options.indexPrefix,
        index_patterns: [`${this.options.indexPrefix}-*`],
        template: {
          mappings: {
            dynamic_templates: [
              {
                strings_as_keywords: { match_mapping_type: 'string', mapping: { type: 'keyword', ignore_above: 1024 } },
              },
            ],
            properties: { '@timestamp': { type: 'date' }, message: { type: 'text' } },
          },
        },
      })
      .then(
        () => undefined,
        (error: unknown) => {
          this.templateReady = undefined;
          throw error;
        },
      );
    return this.templateReady;
  }

  private dropped(lines: number, error: unknown): void {
    this.options.onDropped?.(lines);
    const now = Date.now();
    if (now - this.lastReport < STDERR_REPORT_INTERVAL_MS) return;
    this.lastReport = now;
    process.stderr.write(`log shipping to Elasticsearch dropped ${lines} line(s): ${String(error)}\n`);
  }
}
