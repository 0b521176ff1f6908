import { describe, expect, it } from 'vitest';
import { filesystemOperations, rememberFileLengths } from './node-fs-with-known-lengths.js';

const SEEK_SET = 0;
const SEEK_END = 2;

/** A stand-in for Emscripten's Node filesystem: files by node, their lengths, and a count of length lookups. */
function fakeFilesystem() {
  const lengths = new Map<object, number>();
  let lookups = 0;
  const failure = new Error('EINVAL');
  const operations = filesystemOperations({
    stream_ops: {
      llseek: (file: { node: object; position: number }, offset: number, whence: number) => {
        let position = offset;
        if (whence === SEEK_END) {
          lookups += 1;
          position += lengths.get(file.node) ?? 0;
        }
        if (position < 0) throw failure;
        return position;
      },
      write: (file: { node: object }, length: number) => lengths.set(file.node, (lengths.get(file.node) ?? 0) + length),
      read: () => 0,
      close: () => undefined,
      fallocate: (file: { node: object }, length: number) => lengths.set(file.node, length),
    },
    node_ops: {
      lookup: () => undefined,
      setattr: (node: object, attributes: { size: number }) => lengths.set(node, attributes.size),
    },
  });
  rememberFileLengths(operations);
  const call = (table: 'stream_ops' | 'node_ops', name: string, ...args: unknown[]): unknown =>
    (operations[table][name] as (...args: unknown[]) => unknown)(...args);
  return {
    call,
    file: (length: number) => {
      const node = {};
      lengths.set(node, length);
      return { node, position: 0 };
    },
    lookups: () => lookups,
    failure,
  };
}

describe('file lengths remembered between writes', () => {
  it('asks a file its length once, however often its end is sought', () => {
    const fs = fakeFilesystem();
    const file = fs.file(8192);
    expect([1, 2, 3].map(() => fs.call('stream_ops', 'llseek', file, 0, SEEK_END))).toEqual([8192, 8192, 8192]);
    expect(fs.call('stream_ops', 'llseek', file, -192, SEEK_END)).toBe(8000);
    expect(fs.lookups()).toBe(1);
  });

  it('asks again after that file is written, and only that file', () => {
    const fs = fakeFilesystem();
    const [written, untouched] = [fs.file(8192), fs.file(100)];
    fs.call('stream_ops', 'llseek', written, 0, SEEK_END);
    fs.call('stream_ops', 'llseek', untouched, 0, SEEK_END);
    fs.call('stream_ops', 'write', written, 8192);
    expect(fs.call('stream_ops', 'llseek', written, 0, SEEK_END)).toBe(16384);
    expect(fs.call('stream_ops', 'llseek', untouched, 0, SEEK_END)).toBe(100);
    expect(fs.lookups()).toBe(3);
  });

  it('forgets every length on any other change, including operations it does not know', () => {
    const fs = fakeFilesystem();
    const file = fs.file(8192);
    fs.call('stream_ops', 'llseek', file, 0, SEEK_END);
    fs.call('node_ops', 'setattr', file.node, { size: 0 });
    expect(fs.call('stream_ops', 'llseek', file, 0, SEEK_END)).toBe(0);
    fs.call('stream_ops', 'fallocate', file, 4096);
    expect(fs.call('stream_ops', 'llseek', file, 0, SEEK_END)).toBe(4096);
    fs.call('stream_ops', 'close', file);
    fs.call('stream_ops', 'llseek', file, 0, SEEK_END);
    expect(fs.lookups()).toBe(4);
  });

  it('keeps lengths across reads and lookups, and leaves other seeks alone', () => {
    const fs = fakeFilesystem();
    const file = fs.file(8192);
    fs.call('stream_ops', 'llseek', file, 0, SEEK_END);
    fs.call('stream_ops', 'read', file);
    fs.call('node_ops', 'lookup', file.node, 'name');
    expect(fs.call('stream_ops', 'llseek', file, 10, SEEK_SET)).toBe(10);
    fs.call('stream_ops', 'llseek', file, 0, SEEK_END);
    expect(fs.lookups()).toBe(1);
  });

  it("leaves a position before the start to the filesystem's own refusal", () => {
    const fs = fakeFilesystem();
    const file = fs.file(100);
    fs.call('stream_ops', 'llseek', file, 0, SEEK_END);
    expect(() => fs.call('stream_ops', 'llseek', file, -101, SEEK_END)).toThrow(fs.failure);
  });

  it('refuses a filesystem without the operation tables it wraps', () => {
    expect(() => filesystemOperations(undefined)).toThrow(/operation tables/);
    expect(() => filesystemOperations({ node_ops: {}, stream_ops: { read: () => 0 } })).toThrow(/operation tables/);
    expect(() => filesystemOperations({ node_ops: { lookup: 1 }, stream_ops: { llseek: () => 0 } })).toThrow(
      /operation tables/,
    );
  });
});
