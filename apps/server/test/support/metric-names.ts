import { readFile } from 'node:fs/promises';

/** Every metric name of this project starts with one of these, so names can be found in PromQL without a parser. */
const METRIC_NAME = /\b(?:ordertrack|process|nodejs)_[a-z0-9_]+/g;
const HISTOGRAM_SUFFIX = /_(?:bucket|sum|count)$/;

/** Metric names referenced by the files (dashboard JSON, alert rules). */
export async function metricNamesUsedIn(files: string[]): Promise<Set<string>> {
  const names = new Set<string>();
  for (const file of files) {
    for (const match of (await readFile(file, 'utf8')).matchAll(METRIC_NAME)) names.add(match[0]);
  }
  return names;
}

/** name → type from the `# TYPE` lines of a Prometheus text exposition. */
export function exportedMetricTypes(exposition: string): Map<string, string> {
  const types = new Map<string, string>();
  for (const line of exposition.split('\n')) {
    const [hash, keyword, name, type] = line.split(' ');
    if (hash === '#' && keyword === 'TYPE' && name !== undefined && type !== undefined) types.set(name, type);
  }
  return types;
}

/** Whether a name used in a query is a series the exposition produces (histogram series via their suffixes). */
export function isExported(name: string, types: Map<string, string>): boolean {
  if (types.has(name)) return true;
  const base = name.replace(HISTOGRAM_SUFFIX, '');
  return base !== name && ['histogram', 'summary'].includes(types.get(base) ?? '');
}
