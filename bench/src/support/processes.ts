import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { waitUntil } from './progress.js';

const MEMORY_PROBE = fileURLToPath(new URL('./memory-probe.js', import.meta.url));
const MEMORY_PROBE_DEADLINE_MS = 30_000;

/** Node options that let `ManagedProcess.probeMemory` read a server's memory (see memory-probe.ts). */
export function memoryProbeArgs(): string[] {
  return ['--expose-gc', `--import=${MEMORY_PROBE}`];
}

/** A process's memory right after a full garbage collection, in bytes. */
export interface MemoryReading {
  rss: number;
  heapUsed: number;
  /** Memory of objects outside the V8 heap (buffers, array buffers) that JavaScript objects hold. */
  external: number;
}

/** What the probe wrote for reading `number`: undefined until it has, a failure if it could not collect. */
export function findMemoryReading(output: string, number: number): MemoryReading | undefined {
  const match = new RegExp(`^memory-probe ${number} (\\{.*\\})$`, 'm').exec(output);
  if (match?.[1] === undefined) return undefined;
  const reading = JSON.parse(match[1]) as Partial<MemoryReading> & { error?: string };
  if (reading.error !== undefined) throw new Error(`memory probe: ${reading.error}`);
  const { rss, heapUsed, external } = reading;
  if (![rss, heapUsed, external].every((value) => typeof value === 'number')) {
    throw new Error(`memory probe: unexpected reading ${match[1]}`);
  }
  return { rss, heapUsed, external } as MemoryReading;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

/** A child process whose output is kept (the last 64 KiB) for the error message if it dies. */
export class ManagedProcess {
  /** Every child still running, so an interrupted run can stop them all. */
  private static readonly running = new Set<ManagedProcess>();
  private output = '';
  private memoryReadings = 0;

  constructor(readonly child: ChildProcess) {
    ManagedProcess.running.add(this);
    child.once('exit', () => ManagedProcess.running.delete(this));
    const keep = (chunk: Buffer): void => {
      this.output = (this.output + chunk.toString()).slice(-65_536);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
  }

  static start(command: string, args: readonly string[], env: Record<string, string> = {}): ManagedProcess {
    return new ManagedProcess(
      spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] }),
    );
  }

  static killAll(): void {
    for (const managed of ManagedProcess.running) managed.child.kill('SIGKILL');
  }

  get pid(): number {
    if (this.child.pid === undefined) throw new Error('process did not start');
    return this.child.pid;
  }

  get exited(): boolean {
    return this.child.exitCode !== null || this.child.signalCode !== null;
  }

  get logs(): string {
    return this.output;
  }

  /** Collects the process's garbage and reads its memory; it must have been started with `memoryProbeArgs()`. */
  probeMemory(): Promise<MemoryReading> {
    this.memoryReadings += 1;
    const number = this.memoryReadings;
    this.child.kill('SIGWINCH');
    return waitUntil(
      'the memory probe to answer',
      () => {
        if (this.exited) throw new Error(`the process exited before its memory was read:\n${this.output}`);
        return findMemoryReading(this.output, number);
      },
      MEMORY_PROBE_DEADLINE_MS,
      20,
    );
  }

  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.exited) return Promise.resolve();
    return new Promise((resolve) => {
      const force = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
      this.child.once('exit', () => {
        clearTimeout(force);
        resolve();
      });
      this.child.kill(signal);
    });
  }
}

/** Runs a command to completion and returns its stdout; fails with its stderr. */
export function runToCompletion(command: string, args: readonly string[], env: Record<string, string> = {}) {
  return new Promise<string>((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`${command} exited with ${code ?? 'a signal'}:\n${stderr}`)),
    );
  });
}
