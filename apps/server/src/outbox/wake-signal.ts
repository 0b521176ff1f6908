/** Lets a loop sleep until either someone signals new work or the timeout passes, whichever is first. */
export class WakeSignal {
  private pending = false;
  private resolveWaiter: (() => void) | undefined;

  notify(): void {
    this.pending = true;
    this.resolveWaiter?.();
  }

  /** Resolves true when woken by `notify` (also one that came before the wait), false when the timeout passed. */
  wait(timeoutMs: number): Promise<boolean> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => {
      const done = (notified: boolean): void => {
        clearTimeout(timer);
        this.resolveWaiter = undefined;
        this.pending = false;
        resolve(notified);
      };
      const timer = setTimeout(() => done(false), timeoutMs);
      this.resolveWaiter = () => done(true);
    });
  }
}
