/** One request counted against a window: the window's key and length. */
export interface Hit {
  key: string;
  ttlMs: number;
}

/** A request's place in its window: its own hit number, and how long the window still runs. */
export interface HitCount {
  hits: number;
  remainingMs: number;
}

/** A key's count after a batch's hits were added, and its window's remaining time. */
export type KeyTotal = HitCount;

export interface KeyHits {
  key: string;
  ttlMs: number;
  count: number;
}

/**
 * Counts a batch of hits with one call per batch: `add` adds each key's hits at once and answers each key's new
 * total; the hits of one key then get consecutive numbers ending at that total, in the order they came.
 */
export async function countHits(
  hits: readonly Hit[],
  add: (keys: readonly KeyHits[]) => Promise<readonly KeyTotal[]>,
): Promise<HitCount[]> {
  const perKey = new Map<string, KeyHits>();
  for (const { key, ttlMs } of hits) {
    const entry = perKey.get(key);
    if (entry === undefined) perKey.set(key, { key, ttlMs, count: 1 });
    else entry.count += 1;
  }
  const keys = [...perKey.values()];
  const totals = await add(keys);
  if (totals.length !== keys.length) throw new Error(`${keys.length} keys counted, ${totals.length} totals returned`);
  const next = new Map<string, HitCount>();
  keys.forEach(({ key, count }, index) => {
    const total = totals[index] as KeyTotal;
    next.set(key, { hits: total.hits - count + 1, remainingMs: total.remainingMs });
  });
  return hits.map(({ key }) => {
    const position = next.get(key) as HitCount; // every hit's key was counted above
    const counted = { hits: position.hits, remainingMs: position.remainingMs };
    position.hits += 1;
    return counted;
  });
}
