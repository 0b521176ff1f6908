/** `ordertrack-logs-2026.11.05`: one index per UTC day, so retention is deleting old indices. */
export function dailyIndexName(prefix: string, at: Date): string {
  const day = at.toISOString().slice(0, 10).replaceAll('-', '.');
  return `${prefix}-${day}`;
}

/** The UTC day a JSON log line belongs to, from its ECS `@timestamp`; now when the line has none. */
export function timestampOf(document: Record<string, unknown>, now: () => Date): Date {
  const stamp = document['@timestamp'];
  const parsed = typeof stamp === 'string' ? new Date(stamp) : undefined;
  return parsed !== undefined && !Number.isNaN(parsed.getTime()) ? parsed : now();
}
