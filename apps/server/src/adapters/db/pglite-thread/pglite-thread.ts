/**
 * The embedded database's own thread: PGlite runs here, so the app's event loop no longer stops while a
 * statement executes (with PGlite on the app's thread, request handling, socket pushes and SQL shared one core).
 *
 * This file is started as a worker both compiled and as TypeScript source (tests run the source under Node's type
 * stripping), so it uses only erasable syntax and imports this project's files by their `.ts` names (the compiler
 * rewrites them to `.js`), importing only files that follow the same rules.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, parse, protocol, type Results, type Transaction } from '@electric-sql/pglite';
import type {
  QueryRequest,
  QueryResult,
  ThreadError,
  ThreadReply,
  ThreadRequest,
  ThreadStart,
} from './thread-messages.js';
import { NodeFSWithKnownLengths } from './node-fs-with-known-lengths.ts';

/** Distinct statement texts kept prepared; the app issues a few dozen shapes, so this is rarely reached. */
const PREPARED_LIMIT = 256;
/**
 * Statements that may run as named prepared statements, after any leading comments; anything else (DDL, SET, VACUUM)
 * runs as PGlite would.
 */
const PREPARABLE = /^\s*(\/\*.*?\*\/\s*)*(select|insert|update|delete|with)\b/is;
/**
 * Applied, for its own implicit transaction only, before a statement the app marked as planned once (see
 * ThreadRequest): PostgreSQL's default choice between a reusable and a per-execution plan instead of this thread's
 * per-execution planning, and no sequential scans, so a plan made while a table was small keeps using its index.
 */
const PLANNED_ONCE_SETTINGS =
  "SELECT set_config('plan_cache_mode', 'auto', true), set_config('enable_seqscan', 'off', true)";

type Parser = (value: string) => string;
const keepText: Parser = (value) => value;
const parserTables = new Map<string, Record<number, Parser>>();

/**
 * The parsers of the types a query keeps as text, one table per set of types. PGlite spreads its whole parser table
 * into a new object on every result when a query passes parsers (measured: 7% of this thread); the prepared path
 * passes this table as the defaults instead, which PGlite reads without copying, since its value parser falls back
 * to its own table for every other type.
 */
function textParsers(textTypes: readonly number[]): Record<number, Parser> {
  const key = textTypes.join(',');
  let table = parserTables.get(key);
  if (table === undefined) {
    table = Object.fromEntries(textTypes.map((type) => [type, keepText]));
    parserTables.set(key, table);
  }
  return table;
}

interface Prepared {
  name: string;
  paramTypes: number[];
}

/** A query the app sent, and whether it runs inside one of the app's transactions. */
type PreparedQuery = Pick<QueryRequest, 'sql' | 'params' | 'rowMode' | 'textTypes' | 'plannedOnce'> & {
  inTransaction: boolean;
};

/**
 * Runs statements as named prepared statements, one protocol round per execution (bind, describe, execute, sync)
 * instead of PGlite's parse+describe then bind+describe+execute+sync rounds, each of which crosses into WASM.
 * Measured on this thread: a primary-key lookup 466 -> 348 µs, SELECT 1 119 -> 39 µs.
 */
class PreparedStatements {
  private readonly client: PGlite;
  private readonly statements = new Map<string, Prepared>();
  /** Statements evicted or left in doubt by an error, closed at the start of the next execution. */
  private readonly toClose: string[] = [];
  private named = 0;
  constructor(client: PGlite) {
    this.client = client;
  }

  run(query: PreparedQuery) {
    const execute = (): Promise<QueryResult> => this.execute(query);
    const exclusive = (): Promise<QueryResult> => this.client._runExclusiveQuery(execute);
    // Inside a transaction its caller already holds PGlite's transaction lock; outside, take it as query() does.
    return query.inTransaction ? exclusive() : this.client._runExclusiveTransaction(exclusive);
  }

  private async execute({
    sql,
    params,
    rowMode,
    textTypes,
    inTransaction,
    plannedOnce,
  }: PreparedQuery): Promise<QueryResult> {
    const statement = await this.statement(sql, inTransaction);
    // Taken after the statement itself, whose preparation may have evicted it. Inside an explicit transaction the
    // settings would outlast the statement, so there it is planned as every other one.
    const settings = plannedOnce && !inTransaction ? await this.statement(PLANNED_ONCE_SETTINGS, false) : undefined;
    const values = params.map((value, index) => this.serialize(value, statement.paramTypes[index]));
    const message = [
      ...this.toClose.splice(0).map((name) => protocol.serialize.close({ type: 'S', name })),
      ...(settings === undefined
        ? []
        : [
            protocol.serialize.bind({ statement: settings.name }),
            protocol.serialize.describe({ type: 'P' }),
            protocol.serialize.execute({}),
          ]),
      protocol.serialize.bind({ statement: statement.name, values }),
      protocol.serialize.describe({ type: 'P' }),
      protocol.serialize.execute({}),
      protocol.serialize.sync(),
    ];
    try {
      const { messages } = await this.client.execProtocol(concat(message), { syncToFs: !inTransaction });
      const result = parse.parseResults(messages, textParsers(textTypes), { rowMode }).at(-1);
      return result as Results;
    } catch (error) {
      this.forget(sql, statement.name);
      throw error;
    }
  }

  /** The statement prepared for this text, now the most recently used. */
  private async statement(sql: string, inTransaction: boolean): Promise<Prepared> {
    const statement = this.statements.get(sql) ?? (await this.prepare(sql, inTransaction));
    this.statements.delete(sql);
    this.statements.set(sql, statement);
    return statement;
  }

  private async prepare(sql: string, inTransaction: boolean): Promise<Prepared> {
    this.named += 1;
    const name = `ordertrack_${this.named}`;
    const message = concat([
      ...this.toClose.splice(0).map((closed) => protocol.serialize.close({ type: 'S', name: closed })),
      protocol.serialize.parse({ name, text: sql }),
      protocol.serialize.describe({ type: 'S', name }),
      protocol.serialize.sync(),
    ]);
    try {
      const { messages } = await this.client.execProtocol(message, { syncToFs: !inTransaction });
      const prepared = { name, paramTypes: parse.parseDescribeStatementResults(messages) };
      this.statements.set(sql, prepared);
      this.evictBeyondLimit();
      return prepared;
    } catch (error) {
      this.toClose.push(name);
      throw error;
    }
  }

  private forget(sql: string, name: string): void {
    if (this.statements.get(sql)?.name === name) this.statements.delete(sql);
    this.toClose.push(name);
  }

  private evictBeyondLimit(): void {
    while (this.statements.size > PREPARED_LIMIT) {
      const [oldest] = this.statements;
      if (oldest === undefined) return;
      this.forget(oldest[0], oldest[1].name);
    }
  }

  /** As PGlite's query() turns a parameter into its text form: by the type the server inferred for it. */
  private serialize(value: unknown, type: number | undefined): string | null {
    if (value === null || value === undefined) return null;
    const serializer = type === undefined ? undefined : this.client.serializers[type];
    if (serializer !== undefined) return serializer(value);
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') return String(value);
    // PGlite would send "[object Object]"; a type with no serializer taking JSON text is the likelier intent.
    return JSON.stringify(value);
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const joined = new Uint8Array(parts.reduce((length, part) => length + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    joined.set(part, offset);
    offset += part.length;
  }
  return joined;
}

function threadError(error: unknown): ThreadError {
  if (!(error instanceof Error)) return { message: String(error), fields: {} };
  const fields: ThreadError['fields'] = {};
  for (const [key, value] of Object.entries(error)) {
    if (typeof value === 'string' || typeof value === 'number') fields[key] = value;
  }
  return { message: error.message, fields };
}

/** Ends the transaction callback of a rollback the app asked for, so PGlite rolls back. */
class RollbackRequested extends Error {}

/** An open transaction: PGlite's transaction callback waits on `end` while the app sends its statements. */
interface OpenTransaction {
  tx: Transaction;
  end: (commit: boolean) => void;
}

function serve(client: PGlite, post: (reply: ThreadReply) => void): (request: ThreadRequest) => Promise<unknown> {
  const prepared = new PreparedStatements(client);
  const open = new Map<number, OpenTransaction>();
  /** Settles once PGlite has committed or rolled back the transaction. */
  const finishing = new Map<number, Promise<void>>();
  const listening = new Map<string, () => Promise<void>>();
  let opened = 0;

  const begin = async (): Promise<number> => {
    opened += 1;
    const id = opened;
    let started = (): void => undefined;
    const ready = new Promise<void>((resolve) => {
      started = resolve;
    });
    const finished = client.transaction(
      (tx) =>
        new Promise<void>((commit, rollback) => {
          open.set(id, { tx, end: (commits) => (commits ? commit() : rollback(new RollbackRequested())) });
          started();
        }),
    );
    finishing.set(id, finished);
    // A BEGIN that fails rejects `finished` before the callback ever runs.
    await Promise.race([ready, finished]);
    return id;
  };

  const end = async (id: number, commit: boolean): Promise<void> => {
    const transaction = open.get(id);
    const finished = finishing.get(id);
    if (transaction === undefined || finished === undefined) throw new Error(`no open transaction ${id}`);
    open.delete(id);
    finishing.delete(id);
    transaction.end(commit);
    try {
      await finished;
    } catch (error) {
      if (!(error instanceof RollbackRequested)) throw error;
    }
  };

  const transactionOf = (id: number | undefined): Transaction | undefined => {
    if (id === undefined) return undefined;
    const transaction = open.get(id);
    if (transaction === undefined) throw new Error(`no open transaction ${id}`);
    return transaction.tx;
  };

  return async (request) => {
    switch (request.kind) {
      case 'query': {
        const tx = transactionOf(request.transaction);
        if (PREPARABLE.test(request.sql)) {
          return prepared.run({ ...request, inTransaction: tx !== undefined });
        }
        const options = { rowMode: request.rowMode, parsers: textParsers(request.textTypes) };
        return (tx ?? client).query(request.sql, [...request.params], options);
      }
      case 'exec':
        return (transactionOf(request.transaction) ?? client).exec(request.sql);
      case 'begin':
        return begin();
      case 'end':
        return end(request.transaction, request.commit);
      case 'listen': {
        if (!listening.has(request.channel)) {
          const stop = await client.listen(request.channel, (payload) => {
            post({ kind: 'notify', channel: request.channel, payload });
          });
          listening.set(request.channel, stop);
        }
        return undefined;
      }
      case 'unlisten': {
        const stop = listening.get(request.channel);
        listening.delete(request.channel);
        await stop?.();
        return undefined;
      }
      case 'close':
        await client.close();
        return undefined;
    }
  };
}

async function main(): Promise<void> {
  const port = parentPort;
  if (port === null) throw new Error('pglite-thread runs as a worker thread');
  const post = (reply: ThreadReply): void => port.postMessage(reply);
  try {
    const { dataDir } = workerData as ThreadStart;
    const client = new PGlite(dataDir === undefined ? {} : { fs: new NodeFSWithKnownLengths(dataDir) });
    await client.waitReady;
    // Named statements must keep being planned with their values, as PGlite's unnamed ones are (see
    // planned-each-time.ts: a generic plan chosen while a table was small went on scanning it as it grew).
    await client.exec('SET plan_cache_mode = force_custom_plan');
    const handle = serve(client, post);
    port.on('message', (request: ThreadRequest) => {
      handle(request).then(
        (value) => post({ kind: 'reply', id: request.id, ok: true, value }),
        (error: unknown) => post({ kind: 'reply', id: request.id, ok: false, error: threadError(error) }),
      );
    });
    post({ kind: 'ready' });
  } catch (error) {
    post({ kind: 'failed', error: threadError(error) });
  }
}

await main();
