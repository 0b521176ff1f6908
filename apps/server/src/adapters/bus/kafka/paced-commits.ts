/** What a commit needs of a record: where it is. Committing a record commits everything before it on its partition. */
export interface CommittableRecord {
  topic: string;
  partition: number;
}

export interface PacedCommitsOptions<Item extends CommittableRecord> {
  /** Commits start at least this far apart; the offsets handled meanwhile wait and go out together. */
  intervalMs: number;
  /** Sends one commit of these records (the last handled of each partition); resolves once the broker took it. */
  commit: (records: readonly Item[]) => Promise<void>;
  /** A commit failed: what was handled since the last one that landed is read again, so reading must restart. */
  onFailure: (error: Error) => void;
}

/**
 * Commits handled offsets at a steady pace instead of after every batch: under load a fetch brings a few records
 * every few milliseconds, and a commit per batch would double the broker requests. A commit goes out at most every
 * `intervalMs`, one at a time and in order, carrying the newest handled record of each partition; a batch handled
 * while the stream is idle is still committed within `intervalMs`, so lag readings settle. Nothing is committed
 * before its handler resolved: a crash re-reads at most one interval's worth more than it would otherwise.
 */
export class PacedCommits<Item extends CommittableRecord> {
  private readonly pending = new Map<string, Item>();
  private inFlight: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | undefined;
  private lastStartedAt = Number.NEGATIVE_INFINITY;
  private failure: Error | undefined;

  constructor(private readonly options: PacedCommitsOptions<Item>) {}

  /** Records a handled batch; its offsets are committed with the next commit to go out. */
  handled(records: readonly Item[]): void {
    if (this.failure !== undefined) return;
    for (const record of records) this.pending.set(`${record.topic}:${record.partition}`, record);
    if (this.pending.size > 0) this.schedule();
  }

  /** Commits everything handled so far now; resolves when it landed, rejects if any commit failed. */
  async flush(): Promise<void> {
    this.clearTimer();
    this.send();
    await this.inFlight;
    if (this.failure !== undefined) throw this.failure;
  }

  /** Stops committing: nothing handled since the last commit is committed (it is read again). */
  cancel(): void {
    this.clearTimer();
    this.pending.clear();
    this.failure ??= new Error('commits were cancelled');
  }

  private schedule(): void {
    if (this.timer !== undefined) return;
    const wait = Math.max(0, this.lastStartedAt + this.options.intervalMs - Date.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.send();
    }, wait);
  }

  private send(): void {
    if (this.pending.size === 0 || this.failure !== undefined) return;
    const records = [...this.pending.values()];
    this.pending.clear();
    this.lastStartedAt = Date.now();
    // One at a time: the next commit starts only after this one landed, so a partition's offsets never go backwards.
    this.inFlight = this.inFlight.then(async () => {
      if (this.failure !== undefined) return;
      try {
        await this.options.commit(records);
      } catch (error) {
        this.fail(error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  private fail(error: Error): void {
    this.failure = error;
    this.clearTimer();
    this.pending.clear();
    this.options.onFailure(error);
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
