import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { freePort, ManagedProcess, memoryProbeArgs, type MemoryReading } from './processes.js';
import { waitUntil } from './progress.js';

const MAIN = fileURLToPath(new URL('../../../apps/server/dist/main.js', import.meta.url));

export const BENCH_ADMIN = { email: 'bench-admin@example.com', password: 'bench-admin-password' } as const;

/**
 * Settings every benchmarked instance gets: an admin to drive status changes, and rate limits out of the way
 * (all load comes from one address, 127.0.0.1, which the default 600/min would throttle within a second).
 */
const BENCH_DEFAULTS = {
  HOST: '127.0.0.1',
  LOG_LEVEL: 'warn',
  RATE_LIMIT_PER_MINUTE: '1000000',
  LOGIN_RATE_LIMIT_PER_MINUTE: '1000000',
  BOOTSTRAP_ADMIN_EMAIL: BENCH_ADMIN.email,
  BOOTSTRAP_ADMIN_PASSWORD: BENCH_ADMIN.password,
} as const;

/**
 * With BENCH_CPU_PROFILE_DIR set, every instance writes a V8 CPU profile there when it stops (open it in Chrome
 * DevTools or speedscope): how the hot paths named in the README were found.
 */
function profilingArgs(): string[] {
  const directory = process.env['BENCH_CPU_PROFILE_DIR'];
  return directory === undefined || directory === '' ? [] : ['--cpu-prof', `--cpu-prof-dir=${directory}`];
}

/** The built server (`apps/server/dist/main.js`) as a child process, exactly as it runs in production. */
export class AppInstance {
  private constructor(
    private readonly process: ManagedProcess,
    readonly baseUrl: string,
  ) {}

  static async start(env: Record<string, string>): Promise<AppInstance> {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` first`);
    const port = await freePort();
    const child = ManagedProcess.start(process.execPath, [...profilingArgs(), ...memoryProbeArgs(), MAIN], {
      ...BENCH_DEFAULTS,
      ...env,
      PORT: String(port),
    });
    const app = new AppInstance(child, `http://127.0.0.1:${port}`);
    try {
      await waitUntil(
        'the app to answer /health',
        async () => {
          if (child.exited) throw new Error('the app exited');
          const response = await fetch(`${app.baseUrl}/health`).catch(() => undefined);
          return response?.status === 200 ? true : undefined;
        },
        120_000,
        200,
      );
    } catch (error) {
      await child.stop('SIGKILL');
      throw new Error(`${String(error)}\n--- app output ---\n${child.logs}`, { cause: error });
    }
    return app;
  }

  get pid(): number {
    return this.process.pid;
  }

  /** Its memory right after a full garbage collection (the probe the bench preloads into it). */
  probeMemory(): Promise<MemoryReading> {
    return this.process.probeMemory();
  }

  get logs(): string {
    return this.process.logs;
  }

  stop(): Promise<void> {
    return this.process.stop('SIGTERM');
  }
}
