import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { waitFor } from './wait-for.js';

const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url));

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

/** The built server as a real child process, so a test can kill it the way a crash would. */
export class AppProcess {
  private output = '';

  private constructor(
    readonly child: ChildProcess,
    readonly baseUrl: string,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  static async start(env: Record<string, string>): Promise<AppProcess> {
    if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` before this suite`);
    const port = await freePort();
    const child = spawn(process.execPath, [MAIN], {
      env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const app = new AppProcess(child, `http://127.0.0.1:${port}`);
    await waitFor(
      'the app to answer /health',
      async () => {
        if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode}:\n${app.output}`);
        const response = await fetch(`${app.baseUrl}/health`).catch(() => undefined);
        return response?.status === 200 ? true : undefined;
      },
      60_000,
    ).catch((error: unknown) => {
      child.kill('SIGKILL');
      throw new Error(`${String(error)}\n--- app output ---\n${app.output}`);
    });
    return app;
  }

  get logs(): string {
    return this.output;
  }

  /** SIGKILL: no shutdown hooks, no flush — exactly what a crash leaves behind. */
  kill(): Promise<void> {
    return this.stop('SIGKILL');
  }

  stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return Promise.resolve();
    return new Promise((resolve) => {
      this.child.once('exit', () => resolve());
      this.child.kill(signal);
    });
  }
}
