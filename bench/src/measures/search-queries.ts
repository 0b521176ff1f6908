import { SearchOrdersQuery, StatsQuery } from '@ordertrack/shared';
import type { EsIndexNames } from '../../../apps/server/dist/adapters/search/elasticsearch/es-index-definitions.js';
import {
  createdOrdersStatsRequest,
  eventsPerHourRequest,
  searchOrdersRequest,
} from '../../../apps/server/dist/adapters/search/elasticsearch/es-queries.js';
import type { ApiClient } from '../support/api-client.js';
import { LatencyHistogram, type LatencySummary } from '../support/histogram.js';

const DAY_MS = 86_400_000;
const WARM_UP_REQUESTS = 3;

/** One kind of query: its API path, and the Elasticsearch requests the app sends for it (built by the app's code). */
export interface SearchQueryKind {
  name: string;
  apiPath: () => string;
  esRequests: (names: EsIndexNames) => object[];
}

export function searchQueryKinds(now: Date): SearchQueryKind[] {
  const last = (days: number): { from: string; to: string } => ({
    from: new Date(now.getTime() - days * DAY_MS).toISOString(),
    to: now.toISOString(),
  });
  const week = last(7);
  const month = last(30);
  return [
    {
      name: 'search by status',
      apiPath: () => '/search/orders?status=SHIPPED&size=20',
      esRequests: (names) => [searchOrdersRequest(names, SearchOrdersQuery.parse({ status: 'SHIPPED', size: '20' }))],
    },
    {
      name: 'search by product text',
      apiPath: () => '/search/orders?q=grn&size=20',
      esRequests: (names) => [searchOrdersRequest(names, SearchOrdersQuery.parse({ q: 'grn', size: '20' }))],
    },
    {
      name: 'search by 7-day range',
      apiPath: () => `/search/orders?from=${encodeURIComponent(week.from)}&to=${encodeURIComponent(week.to)}&size=20`,
      esRequests: (names) => [searchOrdersRequest(names, SearchOrdersQuery.parse({ ...week, size: '20' }))],
    },
    {
      name: 'stats over 30 days',
      apiPath: () => `/search/orders/stats?from=${encodeURIComponent(month.from)}&to=${encodeURIComponent(month.to)}`,
      esRequests: (names) => {
        const range = StatsQuery.parse(month);
        return [createdOrdersStatsRequest(names, range), eventsPerHourRequest(names, range)];
      },
    },
  ];
}

async function timed(requests: number, run: () => Promise<void>): Promise<LatencySummary> {
  for (let sample = 0; sample < WARM_UP_REQUESTS; sample++) await run();
  const histogram = new LatencyHistogram();
  for (let sample = 0; sample < requests; sample++) {
    const started = performance.now();
    await run();
    histogram.recordMs(performance.now() - started);
  }
  return histogram.summary();
}

/** One request at a time through the API (closed loop: this is a latency figure, not a load test). */
export function timeApiQuery(
  api: ApiClient,
  token: string,
  kind: SearchQueryKind,
  requests: number,
): Promise<LatencySummary> {
  return timed(requests, async () => {
    const response = await api.get(kind.apiPath(), token);
    if (response.status !== 200) throw new Error(`${kind.name}: HTTP ${response.status}`);
  });
}

/** The requests the app would send, sent straight to Elasticsearch over HTTP (in parallel when there are two). */
export function timeDirectQuery(
  elasticsearchUrl: string,
  names: EsIndexNames,
  kind: SearchQueryKind,
  requests: number,
): Promise<LatencySummary> {
  return timed(requests, async () => {
    await Promise.all(kind.esRequests(names).map((request) => searchDirect(elasticsearchUrl, request)));
  });
}

async function searchDirect(elasticsearchUrl: string, request: object): Promise<void> {
  // The client library sends these three as URL parts, everything else as the body; so does this.
  const { index, ignore_unavailable, allow_no_indices, ...body } = request as {
    index: string;
    ignore_unavailable?: boolean;
    allow_no_indices?: boolean;
  };
  const parameters = new URLSearchParams();
  if (ignore_unavailable !== undefined) parameters.set('ignore_unavailable', String(ignore_unavailable));
  if (allow_no_indices !== undefined) parameters.set('allow_no_indices', String(allow_no_indices));
  const response = await fetch(`${elasticsearchUrl}/${index}/_search?${parameters.toString()}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`direct Elasticsearch query: HTTP ${response.status}`);
}
