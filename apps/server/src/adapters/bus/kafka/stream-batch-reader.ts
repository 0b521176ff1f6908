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
    const wakeUp = (): void => {
      const wake = this.wake;
      this.wake = undefined;
      wake?.();
    };
    stream.on('readable', wakeUp);
    stream.on('error', (error) => {
      this.failure = error;
      wakeUp();
    });
    const end = (): void => {
      this.ended = true;
      wakeUp();
    };
    stream.on('end', end);
    stream.on('close', end);
  }

  /** The next batch; undefined once the stream ended; rejects with the stream's error. */
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
}
