import { describe, expect, it } from 'vitest';
import { describeStages, stageBreakdown, stageMetrics, stagesOf, type UpdateTimes } from './stage-breakdown.js';

/** An update sent at `sentAt` whose stages took the given milliseconds (commit = answered − stamped). */
function update(sentAt: number, request: number, commit: number, relay: number, delivery: number): UpdateTimes {
  const stampedAt = sentAt + request;
  return {
    sentAt,
    stampedAt,
    answeredAt: stampedAt + commit,
    acknowledgedAt: stampedAt + relay,
    receivedAt: stampedAt + relay + delivery,
  };
}

describe('stagesOf', () => {
  it('splits an update at its stamps, commit and relay both starting at the statement', () => {
    expect(stagesOf(update(1000, 2, 3, 6, 4))).toEqual({ request: 2, commit: 3, relay: 6, delivery: 4 });
  });
});

describe('stageBreakdown', () => {
  it('names the stage that made the slow updates slow, apart from the typical one', () => {
    const typical = Array.from({ length: 98 }, (_, index) => update(index * 2, 1, 2, 4, 3));
    const slowRelay = update(500, 1, 2, 90, 3);
    const slowDelivery = update(502, 1, 2, 4, 120);
    const breakdown = stageBreakdown([...typical, slowRelay, slowDelivery], 98);

    expect(breakdown.updates).toBe(100);
    expect(breakdown.tailFromMs).toBe(94);
    expect(breakdown.tailUpdates).toBe(2);
    expect(breakdown.median).toEqual({ request: 1, commit: 2, relay: 4, delivery: 3 });
    expect(breakdown.tailMedian).toEqual({ request: 1, commit: 2, relay: 47, delivery: 61.5 });
    expect(breakdown.longestInTail).toEqual({ request: 0, relay: 1, delivery: 1 });
  });

  it('counts a request held before its statement as the longest stage', () => {
    const updates = [update(0, 1, 1, 2, 2), update(10, 50, 1, 2, 2)];
    expect(stageBreakdown(updates, 50).longestInTail).toEqual({ request: 1, relay: 0, delivery: 0 });
  });
});

describe('stageMetrics', () => {
  it('reports each stage of the tail as a figure, with how often it was the longest', () => {
    const typical = Array.from({ length: 98 }, (_, index) => update(index * 2, 1, 2, 4, 3));
    const metrics = stageMetrics(stageBreakdown([...typical, update(500, 1, 2, 90, 3), update(502, 1, 2, 4, 120)], 98));

    expect(metrics.map((metric) => [metric.id, metric.value])).toEqual([
      ['push.stage.request.tail', 1],
      ['push.stage.commit.tail', 2],
      ['push.stage.relay.tail', 47],
      ['push.stage.delivery.tail', 61.5],
    ]);
    expect(metrics[2]?.note).toBe(
      'median of all 100 pushes 4.0 ms; the slowest 1% are the 2 at or above 94.0 ms, and relay was the longest stage in 1 of them',
    );
  });

  it('says in each note that nothing was measured when no push was both stamped and delivered', () => {
    const metrics = stageMetrics(stageBreakdown([]));

    expect(metrics).toHaveLength(4);
    for (const metric of metrics) {
      expect(metric.note).toBe(
        "not measured: stages: none of the window's updates was both stamped by the app and received by its socket",
      );
      expect(metric.note).not.toContain('NaN');
    }
  });
});

describe('describeStages', () => {
  it('prints each stage as its median over all / over the tail, then how often each was the longest', () => {
    const updates = [update(0, 1, 1, 2, 2), update(10, 50, 1, 2, 2)];
    expect(describeStages(stageBreakdown(updates, 50))).toBe(
      'stages, ms (median of all 2 / of the 1 at or above 54.0 ms): request 25.5 / 50.0, commit 1.0 / 1.0, ' +
        'relay 2.0 / 2.0, delivery 2.0 / 2.0; longest stage in those: request 1, relay 0, delivery 0',
    );
  });

  it('says so when no update of the window was both stamped and delivered, instead of printing NaN', () => {
    expect(describeStages(stageBreakdown([]))).toBe(
      "stages: none of the window's updates was both stamped by the app and received by its socket",
    );
  });
});
