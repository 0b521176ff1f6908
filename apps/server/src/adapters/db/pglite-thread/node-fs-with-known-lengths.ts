/**
 * PGlite's Node filesystem, answering "how long is this file" from memory between writes.
 *
 * PostgreSQL asks a relation file's length (lseek to its end) every time it plans a statement touching the relation
 * and whenever it extends it; Emscripten's Node filesystem answers each ask with an fstat system call. On the
 * embedded thread these were the largest single cost outside PostgreSQL itself: fstat alone 14% of the thread's busy
 * time during order creation (CPU profile), about eight calls per order. The data directory is locked to this one
 * process (data-dir-lock.ts) and every change to its files passes through the filesystem operations wrapped here,
 * so a length read once stays true until one of them runs.
 *
 * Like pglite-thread.ts, this file is loaded as TypeScript source by the tests: erasable syntax only.
 */
import type { PGlite } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';

/** Emscripten's options for PGlite's module, and the module its pre-run steps receive (PGlite exports neither). */
type ModuleOptions = Parameters<NodeFS['init']>[1];
type Module = Parameters<NonNullable<ModuleOptions['preRun']>[number]>[0];

const SEEK_END = 2;

type Operation = (...args: never[]) => unknown;

/** The part of an Emscripten filesystem this file relies on: its per-node and per-open-file operation tables. */
export interface FilesystemOperations {
  node_ops: Record<string, Operation>;
  stream_ops: Record<string, Operation>;
}

/** An open file as Emscripten passes it to a stream operation; the node is one object per file. */
interface OpenFile {
  node: object;
}

type Seek = (file: OpenFile, offset: number, whence: number) => number;
type Write = (file: OpenFile, ...rest: never[]) => unknown;

/**
 * Operations that change no file's length. Every other operation, including any a later Emscripten adds, forgets
 * the lengths known, so an unknown operation costs a system call and never a wrong answer.
 */
const LENGTH_KEEPING_STREAM_OPERATIONS = new Set(['getattr', 'read', 'llseek', 'dup', 'mmap']);
const LENGTH_KEEPING_NODE_OPERATIONS = new Set(['getattr', 'lookup', 'readdir', 'readlink', 'statfs']);

function isOperationTable(value: unknown): value is Record<string, Operation> {
  return (
    typeof value === 'object' &&
    value !== null &&
    Object.values(value).every((operation) => typeof operation === 'function')
  );
}

/** Narrows Emscripten's loosely typed filesystem object, failing at start-up if its shape ever changes. */
export function filesystemOperations(filesystem: unknown): FilesystemOperations {
  const tables = filesystem as Partial<Record<'node_ops' | 'stream_ops', unknown>> | null;
  const nodeOps = tables?.node_ops;
  const streamOps = tables?.stream_ops;
  if (!isOperationTable(nodeOps) || !isOperationTable(streamOps) || typeof streamOps['llseek'] !== 'function') {
    throw new Error("PGlite's Node filesystem no longer has the operation tables its file lengths are cached from");
  }
  return { node_ops: nodeOps, stream_ops: streamOps };
}

/**
 * Wraps the filesystem's operations in place (Emscripten gives every file node these same tables): a seek to the
 * end answers from the length known for that file, a write forgets its file's length, and any other operation that
 * may change a length (truncate, rename, unlink, open, close, ...) forgets them all.
 */
export function rememberFileLengths(operations: FilesystemOperations): void {
  const lengths = new Map<object, number>();
  const forgettingAll =
    (operation: Operation): Operation =>
    (...args) => {
      lengths.clear();
      return operation(...args);
    };
  const { stream_ops: streamOps, node_ops: nodeOps } = operations;
  for (const [name, operation] of Object.entries(streamOps)) {
    if (LENGTH_KEEPING_STREAM_OPERATIONS.has(name)) continue;
    streamOps[name] =
      name === 'write'
        ? (file: OpenFile, ...rest: never[]) => {
            lengths.delete(file.node);
            return (operation as Write)(file, ...rest);
          }
        : forgettingAll(operation);
  }
  for (const [name, operation] of Object.entries(nodeOps)) {
    if (!LENGTH_KEEPING_NODE_OPERATIONS.has(name)) nodeOps[name] = forgettingAll(operation);
  }
  const seek = streamOps['llseek'] as Seek;
  const seekKnowingLengths: Seek = (file, offset, whence) => {
    if (whence !== SEEK_END) return seek(file, offset, whence);
    let length = lengths.get(file.node);
    if (length === undefined) {
      length = seek(file, 0, SEEK_END);
      lengths.set(file.node, length);
    }
    // A position before the start is the original's to refuse, with its error.
    return offset + length < 0 ? seek(file, offset, whence) : offset + length;
  };
  streamOps['llseek'] = seekKnowingLengths;
}

/** NodeFS for a data directory only this process uses, with file lengths remembered between writes. */
export class NodeFSWithKnownLengths extends NodeFS {
  override async init(pg: PGlite, options: ModuleOptions): Promise<{ emscriptenOpts: ModuleOptions }> {
    const { emscriptenOpts } = await super.init(pg, options);
    const preRun = [
      ...(emscriptenOpts.preRun ?? []),
      (module: Module) => rememberFileLengths(filesystemOperations(module.NODEFS)),
    ];
    return { emscriptenOpts: { ...emscriptenOpts, preRun } };
  }
}
