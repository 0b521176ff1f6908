/**
 * What the app and the embedded database's thread say to each other. Only data crosses: drizzle's per-query
 * parsers are functions, so a query names the types whose values stay text instead (drizzle's parsers for them
 * return their input).
 */

export type RowMode = 'array' | 'object';

export type ThreadRequest =
  | {
      kind: 'query';
      id: number;
      sql: string;
      params: readonly unknown[];
      rowMode: RowMode;
      textTypes: readonly number[];
      transaction: number | undefined;
      /** The statement carries the app's PLANNED_ONCE mark (detected on the app's side: this thread imports no values). */
      plannedOnce: boolean;
    }
  | { kind: 'exec'; id: number; sql: string; transaction: number | undefined }
  | { kind: 'begin'; id: number }
  | { kind: 'end'; id: number; transaction: number; commit: boolean }
  | { kind: 'listen'; id: number; channel: string }
  | { kind: 'unlisten'; id: number; channel: string }
  | { kind: 'close'; id: number };

export type QueryRequest = Extract<ThreadRequest, { kind: 'query' }>;

/** An error's message and the PostgreSQL fields (code, constraint, detail...) the app's error mapping reads. */
export interface ThreadError {
  message: string;
  fields: Record<string, string | number | undefined>;
}

export interface QueryResult {
  rows: unknown[];
  fields: { name: string; dataTypeID: number }[];
  affectedRows?: number;
  rowCount?: number;
}

export type ThreadReply =
  | { kind: 'reply'; id: number; ok: true; value: unknown }
  | { kind: 'reply'; id: number; ok: false; error: ThreadError }
  | { kind: 'notify'; channel: string; payload: string }
  | { kind: 'ready' }
  | { kind: 'failed'; error: ThreadError };

export interface ThreadStart {
  dataDir: string | undefined;
}
