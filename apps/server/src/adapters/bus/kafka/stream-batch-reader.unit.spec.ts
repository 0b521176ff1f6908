import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { StreamBatchReader } from './stream-batch-reader.js';

function objectStream(): PassThrough {
  return new PassThrough({ objectMode: true });
}

describe('StreamBatchReader', () => {
  it('returns what is buffered as one batch, capped at the batch size', async () => {
    const stream = objectStream();
    const reader = new StreamBatchReader<number>(stream, 2);
    stream.write(1);
    stream.write(2);
    stream.write(3);
    expect(await reader.next()).toEqual([1, 2]);
    expect(await reader.next()).toEqual([3]);
  });

  it('waits for the next item when nothing is buffered, and ends with undefined', async () => {
    const stream = objectStream();
    const reader = new StreamBatchReader<number>(stream, 10);
    const pending = reader.next();
    stream.write(7);
    expect(await pending).toEqual([7]);
    const last = reader.next();
    stream.end();
    expect(await last).toBeUndefined();
  });

  it('rejects a pending and every later read once aborted', async () => {
    const reader = new StreamBatchReader<number>(objectStream(), 10);
    const pending = reader.next();
    reader.abort(new Error('wedged'));
    await expect(pending).rejects.toThrow('wedged');
    await expect(reader.next()).rejects.toThrow('wedged');
  });

  it('rejects with the stream error', async () => {
    const stream = objectStream();
    const reader = new StreamBatchReader<number>(stream, 10);
    const pending = reader.next();
    stream.destroy(new Error('broker gone'));
    await expect(pending).rejects.toThrow('broker gone');
  });
});
