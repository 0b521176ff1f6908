/**
 * Group commit for independent writes, and the same gathering for lookups (a turn's reads answered by one query)
 * and for rate-limit hits (a turn's hits counted by one Redis call).
 * A write waits for the end of the event-loop turn it was submitted in, so the
 * writes of every request read in that turn go out together as one statement (up to `maxBatch`, of one `kind` each,
 * since a statement's shape is fixed); while `maxInFlight` statements run, writes wait for one to finish and then go
 * together. Under load one statement, commit and round trip carry many writes; with no load a write waits only for
 * the turn to end. Waiting for the turn matters in-process (PGlite), where a statement runs on this thread and is
 * over before the next request is read, so "while a statement runs" alone would never gather anything.
 *
 * Each write is atomic on its own, so a batch is only a way of sending them: when a batch fails for a reason
 * `isolateAfter` blames on one of its writes (a constraint it violates), each write is retried alone and answers
 * for itself, as if it had never been batched. Any other failure (the database unreachable) fails the whole batch.
 * `send` answers each request of a batch, in order (a write answers nothing, a lookup its row).
 */
export interface CoalescingOptions<Write> {
  maxInFlight: number;
  maxBatch: number;
  /** Writes of one kind share a statement shape; a batch never mixes kinds. */
  kind: (write: Write) => string;
  /** Whether a failed batch may have failed because of one write alone: then each is retried on its own. */
  isolateAfter: (error: unknown) => boolean;
}

interface Pending<Write, Answer> {
  write: Write;
  resolve: (answer: Answer) => void;
  reject: (error: unknown) => void;
}

export class Coalescer<Write, Answer = undefined> {
  private readonly waiting: Pending<Write, Answer>[] = [];
  private inFlight = 0;
  private dispatchScheduled = false;

  constructor(
    private readonly send: (writes: readonly Write[]) => Promise<readonly Answer[]>,
    private readonly options: CoalescingOptions<Write>,
  ) {}

  /** Resolves once this write committed (alone or with others) with its answer, rejects with its own failure. */
  submit(write: Write): Promise<Answer> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ write, resolve, reject });
      if (this.dispatchScheduled) return;
      this.dispatchScheduled = true;
      setImmediate(() => {
        this.dispatchScheduled = false;
        this.dispatch();
      });
    });
  }

  private dispatch(): void {
    while (this.inFlight < this.options.maxInFlight && this.waiting.length > 0) {
      this.inFlight += 1;
      void this.run(this.takeBatch()).finally(() => {
        this.inFlight -= 1;
        this.dispatch();
      });
    }
  }

  /** The oldest waiting write and the waiting writes of its kind after it, in submission order. */
  private takeBatch(): Pending<Write, Answer>[] {
    const first = this.waiting[0];
    if (first === undefined) return [];
    const kind = this.options.kind(first.write);
    const batch: Pending<Write, Answer>[] = [];
    for (let index = 0; index < this.waiting.length && batch.length < this.options.maxBatch;) {
      const pending = this.waiting[index];
      if (pending !== undefined && this.options.kind(pending.write) === kind) {
        batch.push(pending);
        this.waiting.splice(index, 1);
      } else {
        index += 1;
      }
    }
    return batch;
  }

  private async run(batch: readonly Pending<Write, Answer>[]): Promise<void> {
    let answers: readonly Answer[];
    try {
      answers = await this.send(batch.map((pending) => pending.write));
    } catch (error) {
      if (batch.length === 1 || !this.options.isolateAfter(error)) {
        for (const pending of batch) pending.reject(error);
        return;
      }
      await Promise.all(batch.map((pending) => this.run([pending])));
      return;
    }
    if (answers.length !== batch.length) {
      const error = new Error(`a batch of ${batch.length} got ${answers.length} answers`);
      for (const pending of batch) pending.reject(error);
      return;
    }
    batch.forEach((pending, index) => pending.resolve(answers[index] as Answer));
  }
}
