import { fileURLToPath } from 'node:url';
import { ManagedProcess, residentBytes } from '../support/processes.js';
import { waitUntil } from '../support/progress.js';

const SCRIPT = fileURLToPath(new URL('../raw/raw-server.js', import.meta.url));

/** A raw baseline server (`raw/raw-server.ts`) in its own process, on a loopback port it picks itself. */
export class RawServerProcess {
  private constructor(
    private readonly process: ManagedProcess,
    readonly port: number,
  ) {}

  static async start(kind: 'socketio' | 'ws'): Promise<RawServerProcess> {
    const child = ManagedProcess.start(process.execPath, [SCRIPT, kind]);
    const port = await waitUntil(
      `the raw ${kind} server to listen`,
      () => {
        if (child.exited) throw new Error(`raw ${kind} server exited:\n${child.logs}`);
        const match = /\{"port":(\d+)\}/.exec(child.logs);
        return match?.[1] === undefined ? undefined : Number(match[1]);
      },
      10_000,
      20,
    );
    return new RawServerProcess(child, port);
  }

  residentBytes(): Promise<number> {
    return residentBytes(this.process.pid);
  }

  stop(): Promise<void> {
    return this.process.stop();
  }
}
