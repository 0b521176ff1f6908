import { waitUntil } from './progress.js';

const SETTLE_TIMEOUT_MS = 120_000;
const SAMPLE_RE = /^(ordertrack_[a-z_]+)(?:\{([^}]*)\})? ([0-9.eE+-]+)$/;

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** The samples of a Prometheus text exposition (the format /metrics answers in). */
export function parseExposition(text: string): Sample[] {
  return text.split('\n').flatMap((line) => {
    const match = SAMPLE_RE.exec(line);
    if (match === null) return [];
    const labels: Record<string, string> = {};
    for (const [, key, value] of (match[2] ?? '').matchAll(/([a-z_]+)="([^"]*)"/g))
      labels[key as string] = value as string;
    return [{ name: match[1] as string, labels, value: Number(match[3]) }];
  });
}

/**
 * True when nothing the app committed is still on its way: the outbox is empty and every consumer group has
 * handled at least as many events as the relay handed over (at least once: a group may count a redelivery twice).
 */
export function pipelineIdle(samples: readonly Sample[]): boolean {
  const total = (name: string, where: (sample: Sample) => boolean = () => true): number =>
    samples.filter((sample) => sample.name === name && where(sample)).reduce((sum, sample) => sum + sample.value, 0);
  if (total('ordertrack_outbox_unpublished_events') > 0) return false;
  const relayed = total('ordertrack_events_relayed_total');
  const groups = new Set(
    samples
      .filter((sample) => sample.name === 'ordertrack_events_consumed_total')
      .map((sample) => sample.labels['group']),
  );
  return [...groups].every(
    (group) => total('ordertrack_events_consumed_total', (sample) => sample.labels['group'] === group) >= relayed,
  );
}

/**
 * Waits until the app has relayed and consumed (fan-out, Elasticsearch indexing) everything committed so far, so a
 * timed phase measures the steady rate it sets and not the backlog the previous phase left behind.
 */
export async function waitForPipelineIdle(baseUrl: string): Promise<void> {
  await waitUntil(
    'the outbox and the consumers to catch up',
    async () => {
      const response = await fetch(`${baseUrl}/metrics`);
      return pipelineIdle(parseExposition(await response.text())) ? true : undefined;
    },
    SETTLE_TIMEOUT_MS,
    200,
  );
}
