/** Lets a loop sleep until either someone signals new work or the timeout passes, whichever is first. */
export class WakeSignal {
  private pending = false;
  private resolveWaiter: (() => void) | undefined;

  notify(): void {
    this.pending = true;
    this.resolveWaiter?.();
  }

  wait(timeoutMs: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.resolveWaiter = undefined;
        this.pending = false;
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this.resolveWaiter = done;
    });
  }
}
