import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { PLANNED_ONCE } from '../planned-once.js';
import type { QueryResult, RowMode, ThreadError, ThreadReply, ThreadRequest, ThreadStart } from './thread-messages.js';

/** What a dead database thread looks like to the error mapping: connection failure, so requests answer 503. */
const CONNECTION_FAILURE = '08006';

/** A PostgreSQL error raised on the database thread, with its fields (code, constraint...) as the server sent them. */
export class EmbeddedDatabaseError extends Error {
  constructor(error: ThreadError) {
    super(error.message);
    for (const [key, value] of Object.entries(error.fields)) {
      if (key !== 'name' && key !== 'message' && key !== 'stack') Object.assign(this, { [key]: value });
    }
  }
}

export interface QueryOptions {
  rowMode?: RowMode;
  /** drizzle's parsers all return their input: the types they name stay text. */
  parsers?: Record<number, unknown>;
}

export interface ThreadTransaction {
  query(sql: string, params?: readonly unknown[], options?: QueryOptions): Promise<QueryResult>;
  exec(sql: string): Promise<unknown>;
}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };
type Outgoing = ThreadRequest extends infer Request
  ? Request extends ThreadRequest
    ? Omit<Request, 'id'>
    : never
  : never;

/**
 * PGlite on its own worker thread, offering the part of PGlite's API that drizzle's PGlite driver and the
 * embedded database handle use (query, exec, transaction, listen, close).
 */
export class PGliteOnThread implements ThreadTransaction {
  private readonly pending = new Map<number, Pending>();
  private readonly listeners = new Map<string, Set<(payload: string) => void>>();
  private sent = 0;
  private stopped: Error | undefined;

  private constructor(private readonly worker: Worker) {}

  static async start(dataDir: string | undefined): Promise<PGliteOnThread> {
    const workerData: ThreadStart = { dataDir };
    const worker = new Worker(workerEntry(), { workerData });
    const thread = new PGliteOnThread(worker);
    await new Promise<void>((ready, failed) => {
      // A thread that ends before it reports either way must not leave start-up waiting.
      const exited = (code: number): void => failed(new Error(`the embedded database thread exited with code ${code}`));
      const onMessage = (reply: ThreadReply): void => {
        if (reply.kind !== 'ready' && reply.kind !== 'failed') return;
        worker.off('message', onMessage);
        worker.off('error', failed);
        worker.off('exit', exited);
        if (reply.kind === 'ready') {
          ready();
        } else {
          void worker.terminate();
          failed(new EmbeddedDatabaseError(reply.error));
        }
      };
      worker.on('message', onMessage);
      worker.on('error', failed);
      worker.on('exit', exited);
    });
    thread.attach();
    return thread;
  }

  query(sql: string, params: readonly unknown[] = [], options: QueryOptions = {}): Promise<QueryResult> {
    return this.queryIn(undefined, sql, params, options);
  }

  exec(sql: string): Promise<unknown> {
    return this.request({ kind: 'exec', sql, transaction: undefined });
  }

  async transaction<T>(work: (tx: ThreadTransaction) => Promise<T>): Promise<T> {
    const transaction = (await this.request({ kind: 'begin' })) as number;
    const tx: ThreadTransaction = {
      query: (sql, params = [], options = {}) => this.queryIn(transaction, sql, params, options),
      exec: (sql) => this.request({ kind: 'exec', sql, transaction }),
    };
    let result: T;
    try {
      result = await work(tx);
    } catch (error) {
      // The work's failure is the one to report; a rollback that fails too leaves nothing committed either.
      await this.request({ kind: 'end', transaction, commit: false }).catch(() => undefined);
      throw error;
    }
    await this.request({ kind: 'end', transaction, commit: true });
    return result;
  }

  async listen(channel: string, onNotify: (payload: string) => void): Promise<() => Promise<void>> {
    let channelListeners = this.listeners.get(channel);
    if (channelListeners === undefined) {
      channelListeners = new Set();
      this.listeners.set(channel, channelListeners);
      await this.request({ kind: 'listen', channel });
    }
    const listeners = channelListeners;
    listeners.add(onNotify);
    return async () => {
      listeners.delete(onNotify);
      if (listeners.size > 0 || this.listeners.get(channel) !== listeners) return;
      this.listeners.delete(channel);
      await this.request({ kind: 'unlisten', channel });
    };
  }

  async close(): Promise<void> {
    if (this.stopped !== undefined) return;
    await this.request({ kind: 'close' });
    this.stop(new Error('the embedded database is closed'));
    await this.worker.terminate();
  }

  private queryIn(
    transaction: number | undefined,
    sql: string,
    params: readonly unknown[],
    options: QueryOptions,
  ): Promise<QueryResult> {
    const textTypes = Object.keys(options.parsers ?? {}).map(Number);
    const rowMode = options.rowMode ?? 'object';
    const plannedOnce = sql.startsWith(PLANNED_ONCE);
    return this.request({
      kind: 'query',
      sql,
      params,
      rowMode,
      textTypes,
      transaction,
      plannedOnce,
    }) as Promise<QueryResult>;
  }

  private request(message: Outgoing): Promise<unknown> {
    if (this.stopped !== undefined) return Promise.reject(this.stopped);
    this.sent += 1;
    const id = this.sent;
    return new Promise((resolve, reject) => {
      // The thread keeps the process alive only while it has work to answer, as a socket would.
      if (this.pending.size === 0) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ ...message, id });
    });
  }

  private attach(): void {
    this.worker.unref();
    this.worker.on('message', (reply: ThreadReply) => this.receive(reply));
    this.worker.on('error', (error: Error) =>
      this.stop(unavailable(`the embedded database thread failed: ${error.message}`)),
    );
    this.worker.on('exit', (code) => this.stop(unavailable(`the embedded database thread exited with code ${code}`)));
  }

  private receive(reply: ThreadReply): void {
    if (reply.kind === 'notify') {
      for (const listener of this.listeners.get(reply.channel) ?? []) listener(reply.payload);
      return;
    }
    if (reply.kind !== 'reply') return;
    const pending = this.pending.get(reply.id);
    if (pending === undefined) return;
    this.pending.delete(reply.id);
    if (this.pending.size === 0) this.worker.unref();
    if (reply.ok) pending.resolve(reply.value);
    else pending.reject(new EmbeddedDatabaseError(reply.error));
  }

  private stop(reason: Error): void {
    this.stopped ??= reason;
    for (const pending of this.pending.values()) pending.reject(reason);
    this.pending.clear();
  }
}

function unavailable(message: string): Error {
  return new EmbeddedDatabaseError({ message, fields: { code: CONNECTION_FAILURE } });
}

/** The compiled worker next to this file, or under the test runner (which loads sources) the TypeScript one. */
function workerEntry(): URL {
  const compiled = new URL('./pglite-thread.js', import.meta.url);
  return existsSync(fileURLToPath(compiled)) ? compiled : new URL('./pglite-thread.ts', import.meta.url);
}
