import type { PrivateServer } from './private-process.js';

/** Servers started side by side: `stopAll()` ends every one that started, whichever of the others failed. */
export class PrivateServers {
  private readonly running: PrivateServer[] = [];
  private readonly starting: Promise<unknown>[] = [];

  track<T extends PrivateServer>(start: Promise<T>): Promise<T> {
    const started = start.then((server) => {
      this.running.push(server);
      return server;
    });
    this.starting.push(started.catch(() => undefined));
    return started;
  }

  /** Waits for starts still under way (a failed one has stopped its own process), then stops the rest. */
  async stopAll(): Promise<void> {
    await Promise.all(this.starting);
    await Promise.all(this.running.map((server) => server.process.stop()));
  }
}
