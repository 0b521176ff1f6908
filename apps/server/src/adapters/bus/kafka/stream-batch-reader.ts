import type { Readable } from 'node:stream';

/**
 * Turns an object stream into batches: whatever is buffered (up to `maxBatch`) is one batch, and it waits only
 * when nothing is buffered. A fetch response is pushed in one go, so a batch is usually one fetch's worth.
 */
export class StreamBatchReader<T> {
  private wake: (() => void) | undefined;
  private failure: Error | undefined;
  private ended = false;

  constructor(
    private readonly stream: Readable,
    private readonly maxBatch: number,
  ) {
    stream.on('readable', () => this.wakeUp());
    stream.on('error', (error) => this.abort(error));
    const end = (): void => {
      this.ended = true;
      this.wakeUp();
    };
    stream.on('end', end);
    stream.on('close', end);
  }

  /** Makes the pending and every later `next()` reject with `error`, e.g. when the stream is known to be wedged. */
  abort(error: Error): void {
    this.failure ??= error;
    this.wakeUp();
  }

  /** The next batch; undefined once the stream ended; rejects with the stream's error or the abort reason. */
  async next(): Promise<T[] | undefined> {
    for (;;) {
      if (this.failure !== undefined) throw this.failure;
      const batch: T[] = [];
      while (batch.length < this.maxBatch) {
        const item = this.stream.read() as T | null;
        if (item === null) break;
        batch.push(item);
      }
      if (batch.length > 0) return batch;
      if (this.ended) return undefined;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}
