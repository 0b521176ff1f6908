import { spawn, type ChildProcess } from 'node:child_process';
import { waitFor } from '../wait-for.js';

const STOP_GRACE_MS = 20_000;
const OUTPUT_KEPT = 16_000;

export interface PrivateProcessOptions {
  env?: Record<string, string | undefined>;
  cwd?: string;
}

/** A server a test started for itself; `process.stop()` ends it. */
export interface PrivateServer {
  process: PrivateProcess;
}

/**
 * A server a test starts for itself. It runs in its own process group, so stopping it also ends whatever it
 * started (Elasticsearch's launcher starts the server JVM); should the test runner die first, the group is killed
 * on exit, so no private server outlives its test.
 */
export class PrivateProcess {
  private output = '';
  private readonly killOnExit = (): void => void this.signal('SIGKILL');

  private constructor(
    readonly name: string,
    private readonly child: ChildProcess,
  ) {
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString()).slice(-OUTPUT_KEPT);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    child.once('error', (error) => keep(Buffer.from(`\n${name}: ${error.message}\n`)));
    process.once('exit', this.killOnExit);
  }

  static spawn(name: string, command: string, args: string[], options: PrivateProcessOptions = {}): PrivateProcess {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env ?? process.env,
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new PrivateProcess(name, child);
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  /** The last lines it printed, for failure messages. */
  get logs(): string {
    return this.output;
  }

  /**
   * Polls `ready` until it returns true, failing at once if the process exits and after `timeoutMs` otherwise;
   * either failure stops the process and carries its output.
   */
  async waitUntilReady(ready: () => Promise<boolean>, timeoutMs: number): Promise<void> {
    try {
      await waitFor(
        `${this.name} to accept TLS connections`,
        async () => {
          if (this.exited) throw new Error(`${this.name} exited (${this.child.exitCode ?? this.child.signalCode})`);
          return (await ready()) ? true : undefined;
        },
        timeoutMs,
      );
    } catch (error) {
      const output = this.output;
      await this.stop();
      throw new Error(`${String(error)}\n--- ${this.name} output ---\n${output}`, { cause: error });
    }
  }

  /** SIGTERM to the group, SIGKILL to whatever is left of it after the grace period. */
  async stop(): Promise<void> {
    process.removeListener('exit', this.killOnExit);
    this.signal('SIGTERM');
    if (!(await this.groupGone(STOP_GRACE_MS))) {
      this.signal('SIGKILL');
      await this.groupGone(5000);
    }
  }

  private async groupGone(timeoutMs: number): Promise<boolean> {
    return waitFor(`${this.name} to end`, () => (this.signal(0) ? undefined : true), timeoutMs).catch(() => false);
  }

  /** Sends `signal` to the process group; false when no member of it is left. */
  private signal(signal: NodeJS.Signals | 0): boolean {
    const pid = this.child.pid;
    if (pid === undefined) return false;
    try {
      process.kill(-pid, signal);
      return true;
    } catch {
      return false;
    }
  }
}
