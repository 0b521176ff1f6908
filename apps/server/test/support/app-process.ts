import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { trustingOnly } from './tls-fixtures.js';
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

  /** `ca`: the app serves HTTPS (TLS_CERT_FILE in `env`) with a certificate this CA signed. */
  static async start(env: Record<string, string>, { ca }: { ca?: string } = {}): Promise<AppProcess> {
    const port = await freePort();
    const child = spawnApp({ ...env, PORT: String(port) });
    const app = new AppProcess(child, `${ca === undefined ? 'http' : 'https'}://127.0.0.1:${port}`);
    const dispatcher = ca === undefined ? undefined : trustingOnly(ca);
    await waitFor(
      'the app to answer /health',
      async () => {
        if (child.exitCode !== null) throw new Error(`app exited with ${child.exitCode}:\n${app.output}`);
        const response = await fetch(`${app.baseUrl}/health`, dispatcher === undefined ? {} : { dispatcher }).catch(
          () => undefined,
        );
        return response?.status === 200 ? true : undefined;
      },
      60_000,
    ).catch((error: unknown) => {
      child.kill('SIGKILL');
      throw new Error(`${String(error)}\n--- app output ---\n${app.output}`);
    });
    return app;
  }

  /**
   * For configurations the app must refuse: runs it until it exits and returns its exit code and output. One still
   * running after 30 s is killed (code null), which fails any assertion on the code.
   */
  static async runUntilExit(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
    const child = spawnApp({ ...env, PORT: String(await freePort()) });
    const app = new AppProcess(child, '');
    // 'close', not 'exit': by then everything it printed has been read.
    const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
    const deadline = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await closed.finally(() => clearTimeout(deadline));
    return { code, output: app.output };
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

function spawnApp(env: Record<string, string>): ChildProcess {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run \`npm run build\` before this suite`);
  return spawn(process.execPath, [MAIN], {
    env: { ...process.env, HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}
