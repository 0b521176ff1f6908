import { inParallel } from '../support/api-client.js';
import { LatencyHistogram, type LatencySummary } from '../support/histogram.js';
import type { ModeSession } from '../support/mode-session.js';
import { sleep } from '../support/progress.js';

const POLL_MS = 20;
const GIVE_UP_MS = 30_000;
const PARALLEL_SAMPLES = 4;

/** Polls `_search` (not GET by id, which is real-time) until the document matching `filter` is visible. */
async function pollUntilSearchable(
  elasticsearchUrl: string,
  index: string,
  filter: object[],
  since: number,
): Promise<number> {
  const body = JSON.stringify({ size: 0, query: { bool: { filter } } });
  while (performance.now() - since < GIVE_UP_MS) {
    const response = await fetch(`${elasticsearchUrl}/${index}/_search?ignore_unavailable=true&allow_no_indices=true`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    });
    const result = (await response.json()) as { hits?: { total?: { value?: number } } };
    if ((result.hits?.total?.value ?? 0) > 0) return performance.now() - since;
    await sleep(POLL_MS);
  }
  return GIVE_UP_MS;
}

/** PATCH answered (committed) → the event is found by a search on the history alias. */
export async function measureCommitToSearchable(
  session: ModeSession,
  elasticsearchUrl: string,
  historyAlias: string,
  samples: number,
): Promise<LatencySummary> {
  const histogram = new LatencyHistogram();
  await inParallel(Array.from({ length: samples }), PARALLEL_SAMPLES, async () => {
    const update = await session.driver.updateOnce();
    if (update === undefined) throw new Error('no order left to update for the searchable phase');
    const filter = [{ term: { orderId: update.orderId } }, { term: { version: update.version } }];
    histogram.recordMs(await pollUntilSearchable(elasticsearchUrl, historyAlias, filter, update.committedAt));
  });
  return histogram.summary();
}

/** The floor: a document indexed straight into Elasticsearch (same refresh settings) until a search finds it. */
export async function measureDirectIndexToSearchable(
  elasticsearchUrl: string,
  index: string,
  samples: number,
): Promise<LatencySummary> {
  const histogram = new LatencyHistogram();
  await inParallel(Array.from({ length: samples }), PARALLEL_SAMPLES, async (_, sample) => {
    const response = await fetch(`${elasticsearchUrl}/${index}/_doc`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ sample, version: 1 }),
    });
    const indexedAt = performance.now();
    if (!response.ok) throw new Error(`indexing into ${index}: HTTP ${response.status}`);
    histogram.recordMs(await pollUntilSearchable(elasticsearchUrl, index, [{ term: { sample } }], indexedAt));
  });
  return histogram.summary();
}
