/**
 * Group commit for independent requests: writes (one statement and commit for many), lookups (a turn's reads
 * answered by one query) and rate-limit hits (a turn's hits counted by one Redis call).
 * A request waits for the end of the event-loop turn it was submitted in, so the requests of every HTTP request read
 * in that turn go out together as one call (up to `maxBatch`, of one `kind` each, since a statement's shape is
 * fixed); while `maxInFlight` calls run, requests wait for one to finish and then go together. Under load one
 * call, commit and round trip carry many requests; with no load a request waits only for the turn to end. Waiting
 * for the turn also gathers when nothing runs yet (the first requests after a pause, or a database that answers
 * before the next request is read), where "while a call runs" alone would gather nothing.
 *
 * Each request stands on its own, so a batch is only a way of sending them: when a batch fails for a reason
 * `isolateAfter` blames on one of its requests (a constraint a write violates), each is retried alone and answers
 * for itself, as if it had never been batched. Any other failure (the database unreachable) fails the whole batch.
 * `send` answers each request of a batch, in order (a write answers nothing, a lookup its row, a hit its count).
 */
export interface CoalescingOptions<Request> {
  maxInFlight: number;
  maxBatch: number;
  /** Requests of one kind share a call's shape; a batch never mixes kinds. */
  kind: (request: Request) => string;
  /** Whether a failed batch may have failed because of one request alone: then each is retried on its own. */
  isolateAfter: (error: unknown) => boolean;
}

interface Pending<Request, Answer> {
  request: Request;
  resolve: (answer: Answer) => void;
  reject: (error: unknown) => void;
}

export class Coalescer<Request, Answer = undefined> {
  private readonly waiting: Pending<Request, Answer>[] = [];
  private inFlight = 0;
  private dispatchScheduled = false;

  constructor(
    private readonly send: (requests: readonly Request[]) => Promise<readonly Answer[]>,
    private readonly options: CoalescingOptions<Request>,
  ) {}

  /** Resolves once this request was served (alone or with others) with its answer, rejects with its own failure. */
  submit(request: Request): Promise<Answer> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ request, resolve, reject });
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

  /** The oldest waiting request and the waiting requests of its kind after it, in submission order. */
  private takeBatch(): Pending<Request, Answer>[] {
    const first = this.waiting[0];
    if (first === undefined) return [];
    const kind = this.options.kind(first.request);
    const batch: Pending<Request, Answer>[] = [];
    for (let index = 0; index < this.waiting.length && batch.length < this.options.maxBatch;) {
      const pending = this.waiting[index];
      if (pending !== undefined && this.options.kind(pending.request) === kind) {
        batch.push(pending);
        this.waiting.splice(index, 1);
      } else {
        index += 1;
      }
    }
    return batch;
  }

  private async run(batch: readonly Pending<Request, Answer>[]): Promise<void> {
    let answers: readonly Answer[];
    try {
      answers = await this.send(batch.map((pending) => pending.request));
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
