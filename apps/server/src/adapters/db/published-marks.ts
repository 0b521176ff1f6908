import { sql, type Placeholder, type SQL } from 'drizzle-orm';
import type { PublishedBatch } from '../../outbox/relay-loop.js';

/** A relay's marks as two array parameters of one statement: every position, and its batch's acknowledgement time. */
export function publishedMarks(batches: readonly PublishedBatch[]): { positions: string; times: string } {
  const positions: number[] = [];
  const times: string[] = [];
  for (const batch of batches) {
    const at = batch.at.toISOString();
    for (const position of batch.positions) {
      positions.push(position);
      times.push(at);
    }
  }
  return { positions: `{${positions.join(',')}}`, times: `{${times.join(',')}}` };
}

/** The marks as rows (`marks.marked_position`, `marks.marked_at`), to join into an `UPDATE … FROM`. */
export function marksTable(positions: Placeholder | string, times: Placeholder | string): SQL {
  return sql`unnest(${positions}::bigint[], ${times}::timestamptz[]) AS marks(marked_position, marked_at)`;
}
