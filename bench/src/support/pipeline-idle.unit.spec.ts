import { describe, expect, it } from 'vitest';
import { parseExposition, pipelineIdle } from './pipeline-idle.js';

const exposition = (unpublished: number, relayed: number, fanout: number, indexer: number): string =>
  [
    '# HELP ordertrack_outbox_unpublished_events Committed events not yet handed to the bus',
    '# TYPE ordertrack_outbox_unpublished_events gauge',
    `ordertrack_outbox_unpublished_events ${unpublished}`,
    `ordertrack_events_relayed_total{topic="order.created"} ${relayed - 1}`,
    'ordertrack_events_relayed_total{topic="order.updated"} 1',
    `ordertrack_events_consumed_total{topic="order.created",group="fanout"} ${fanout}`,
    `ordertrack_events_consumed_total{topic="order.created",group="indexer"} ${indexer}`,
    'process_cpu_seconds_total 12.5',
  ].join('\n');

describe('pipeline idle check', () => {
  it('reads the ordertrack samples with their labels', () => {
    expect(parseExposition(exposition(0, 10, 10, 10))).toContainEqual({
      name: 'ordertrack_events_consumed_total',
      labels: { topic: 'order.created', group: 'indexer' },
      value: 10,
    });
  });

  it('is idle only with an empty outbox and every group caught up with the relay', () => {
    expect(pipelineIdle(parseExposition(exposition(0, 10, 10, 10)))).toBe(true);
    expect(pipelineIdle(parseExposition(exposition(0, 10, 11, 10)))).toBe(true);
    expect(pipelineIdle(parseExposition(exposition(3, 10, 10, 10)))).toBe(false);
    expect(pipelineIdle(parseExposition(exposition(0, 10, 10, 9)))).toBe(false);
  });
});
