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
      const timer = setTimeout(done, timeoutMs);
      const self = this;
      function done(): void {
        clearTimeout(timer);
        self.resolveWaiter = undefined;
        self.pending = false;
        resolve();
      }
      this.resolveWaiter = done;
    });
  }
}
