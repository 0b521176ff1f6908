import { describe, expect, it } from 'vitest';
import { AppMetrics } from './metrics.js';
import { timeAsyncMethods } from './timed.js';

describe('AppMetrics', () => {
  it('reads the outbox backlog on scrape', async () => {
    const metrics = new AppMetrics();
    metrics.watchOutbox(() => Promise.resolve({ unpublished: 7, oldestAgeSeconds: 12.5 }));
    const exposition = await metrics.exposition();
    expect(exposition).toContain('ordertrack_outbox_unpublished_events 7');
    expect(exposition).toContain('ordertrack_outbox_oldest_unpublished_age_seconds 12.5');
  });

  it('records consumer lag per group, topic and partition', async () => {
    const metrics = new AppMetrics();
    metrics.recordConsumerLag({ group: 'search-indexer', topic: 'order.created', partition: 3, lag: 42 });
    expect(await metrics.exposition()).toContain(
      'ordertrack_kafka_consumer_lag{group="search-indexer",topic="order.created",partition="3"} 42',
    );
  });

  it('times async methods of a wrapped adapter by outcome, and leaves other properties alone', async () => {
    const metrics = new AppMetrics();
    const adapter = {
      label: 'plain',
      find: (n: number) => Promise.resolve(n * 2),
      fail: () => Promise.reject(new Error('boom')),
    };
    const timed = timeAsyncMethods(adapter, 'thing_store', metrics.dbQueryDuration);
    expect(await timed.find(21)).toBe(42);
    await expect(timed.fail()).rejects.toThrow('boom');
    expect(timed.label).toBe('plain');
    const exposition = await metrics.exposition();
    expect(exposition).toContain(
      'ordertrack_db_query_duration_seconds_count{operation="thing_store.find",outcome="ok"} 1',
    );
    expect(exposition).toContain(
      'ordertrack_db_query_duration_seconds_count{operation="thing_store.fail",outcome="error"} 1',
    );
  });
});
