import { fileURLToPath } from 'node:url';
import { ManagedProcess, memoryProbeArgs, type MemoryReading } from '../support/processes.js';
import { waitUntil } from '../support/progress.js';

/** Which script serves each kind of raw baseline server. */
const SCRIPTS = {
  socketio: 'raw-server.js',
  ws: 'raw-server.js',
  express: 'nest-server.js',
  fastify: 'nest-server.js',
} as const;

/**
 * A raw baseline server (`raw/raw-server.ts`, or the bare Nest app of `raw/nest-server.ts`) in its own process, on
 * a loopback port it picks itself.
 */
export class RawServerProcess {
  private constructor(
    private readonly process: ManagedProcess,
    readonly port: number,
  ) {}

  static async start(kind: keyof typeof SCRIPTS): Promise<RawServerProcess> {
    const script = fileURLToPath(new URL(`../raw/${SCRIPTS[kind]}`, import.meta.url));
    const child = ManagedProcess.start(process.execPath, [...memoryProbeArgs(), script, kind]);
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

  probeMemory(): Promise<MemoryReading> {
    return this.process.probeMemory();
  }

  stop(): Promise<void> {
    return this.process.stop();
  }
}
