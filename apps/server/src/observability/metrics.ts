import { Injectable } from '@nestjs/common';
import { ORDER_EVENT_TOPICS, type OrderLifecycleEvent } from '@ordertrack/shared';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * Every metric the service exports, defined once. Label values are always bounded sets (route templates,
 * event types, topics, consumer groups, partitions, operation names): never order ids, user ids or raw paths,
 * which would grow the series count without limit.
 */
const PREFIX = 'ordertrack_';

/** Seconds; spans a fast in-process query (0.5 ms) to a request that should have timed out long ago. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/** What a Kafka (or any other) consumer reports about how far behind the log end it is. */
export interface ConsumerLagSample {
  group: string;
  topic: string;
  partition: number;
  /** Messages between the group's committed offset and the partition's end offset. */
  lag: number;
}

/**
 * The metrics API for bus adapters that have a real consumer lag (Kafka): call `record` whenever the adapter
 * learns a partition's lag (after each fetch or on a timer). Bound in the module to the same AppMetrics.
 */
export abstract class ConsumerLagRecorder {
  abstract recordConsumerLag(sample: ConsumerLagSample): void;
}

/** Snapshot of the outbox asked for on every scrape. */
export interface OutboxBacklogSnapshot {
  unpublished: number;
  /** Age of the oldest unpublished event in seconds; 0 when nothing is waiting. */
  oldestAgeSeconds: number;
}

export type OutboxBacklogSource = () => Promise<OutboxBacklogSnapshot>;

@Injectable()
export class AppMetrics extends ConsumerLagRecorder {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: `${PREFIX}http_requests_total`,
    help: 'HTTP requests answered, by method, route template and status code',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpRequestDuration = new Histogram({
    name: `${PREFIX}http_request_duration_seconds`,
    help: 'HTTP request latency from arrival to the last byte of the response, by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly websocketConnections = new Gauge({
    name: `${PREFIX}websocket_connections`,
    help: 'Authenticated Socket.IO connections currently open on the /orders namespace of this instance',
    registers: [this.registry],
  });

  readonly websocketPushes = new Counter({
    name: `${PREFIX}websocket_pushes_total`,
    help: 'order.updated pushes emitted to the /orders namespace, by event type',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  readonly eventsWritten = new Counter({
    name: `${PREFIX}events_written_total`,
    help: 'Lifecycle events committed to the history/outbox, by event type',
    labelNames: ['type'] as const,
    registers: [this.registry],
  });

  readonly eventsRelayed = new Counter({
    name: `${PREFIX}events_relayed_total`,
    help: 'Lifecycle events the outbox relay handed to the bus, by topic',
    labelNames: ['topic'] as const,
    registers: [this.registry],
  });

  readonly eventsConsumed = new Counter({
    name: `${PREFIX}events_consumed_total`,
    help: 'Lifecycle events a consumer group handled successfully, by topic and group',
    labelNames: ['topic', 'group'] as const,
    registers: [this.registry],
  });

  readonly consumerLag = new Gauge({
    name: `${PREFIX}kafka_consumer_lag`,
    help: 'Messages a consumer group is behind the end of a partition (always 0 on the in-process bus)',
    labelNames: ['group', 'topic', 'partition'] as const,
    registers: [this.registry],
  });

  readonly endToEndLatency = new Histogram({
    name: `${PREFIX}event_end_to_end_latency_seconds`,
    help: "Time from an event's commit timestamp to its push leaving this server, by event type",
    labelNames: ['type'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30],
    registers: [this.registry],
  });

  readonly dbQueryDuration = new Histogram({
    name: `${PREFIX}db_query_duration_seconds`,
    help: 'Database call latency, by store operation (one operation may run several SQL statements)',
    labelNames: ['operation', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly orderPlacementsPerStatement = new Histogram({
    name: `${PREFIX}order_placements_per_statement`,
    help: 'Order placements written by one statement (concurrent placements share one: group commit)',
    buckets: [1, 2, 4, 8, 16, 32],
    registers: [this.registry],
  });

  readonly searchQueryDuration = new Histogram({
    name: `${PREFIX}search_query_duration_seconds`,
    help: 'Order search latency, by operation (search, history, stats)',
    labelNames: ['operation', 'outcome'] as const,
    buckets: LATENCY_BUCKETS,
    registers: [this.registry],
  });

  readonly logShippingFailures = new Counter({
    name: `${PREFIX}log_shipping_failures_total`,
    help: 'Log lines dropped because shipping them to Elasticsearch failed or the buffer was full',
    registers: [this.registry],
  });

  private outboxBacklog: OutboxBacklogSource | undefined;

  constructor() {
    super();
    collectDefaultMetrics({ register: this.registry });
    // Both backlog gauges come from one query per scrape; whichever is collected first asks, the other reuses it.
    let pending: Promise<OutboxBacklogSnapshot | undefined> | undefined;
    const snapshot = (): Promise<OutboxBacklogSnapshot | undefined> => {
      pending ??= (this.outboxBacklog?.() ?? Promise.resolve(undefined))
        .catch(() => undefined)
        .finally(() => setImmediate(() => (pending = undefined)));
      return pending;
    };
    new Gauge({
      name: `${PREFIX}outbox_unpublished_events`,
      help: 'Committed events not yet handed to the bus (read from the outbox on scrape)',
      registers: [this.registry],
      async collect() {
        const backlog = await snapshot();
        if (backlog !== undefined) this.set(backlog.unpublished);
      },
    });
    new Gauge({
      name: `${PREFIX}outbox_oldest_unpublished_age_seconds`,
      help: 'Age of the oldest event still waiting in the outbox, 0 when it is empty (read on scrape)',
      registers: [this.registry],
      async collect() {
        const backlog = await snapshot();
        if (backlog !== undefined) this.set(backlog.oldestAgeSeconds);
      },
    });
  }

  /** The outbox gauges read from this source on every scrape. */
  watchOutbox(source: OutboxBacklogSource): void {
    this.outboxBacklog = source;
  }

  recordConsumerLag({ group, topic, partition, lag }: ConsumerLagSample): void {
    this.consumerLag.set({ group, topic, partition: String(partition) }, lag);
  }

  recordPush(event: OrderLifecycleEvent, sentAt: number): void {
    this.websocketPushes.inc({ type: event.type });
    const committedAt = Date.parse(event.timestamp);
    if (Number.isFinite(committedAt)) {
      this.endToEndLatency.observe({ type: event.type }, Math.max(0, sentAt - committedAt) / 1000);
    }
  }

  exposition(): Promise<string> {
    return this.registry.metrics();
  }
}

/** The topic an event travels on; the bus adapters and the metrics agree on it through the shared map. */
export const topicOf = (event: OrderLifecycleEvent): string => ORDER_EVENT_TOPICS[event.type];
