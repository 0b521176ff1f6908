import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { freePort } from './app-process.js';
import { runServicesScript } from './services.js';

/**
 * A single-node broker of this test's own (same jars and settings as `services/services.mjs`, its own data folder
 * and ports), for faults that must not disturb the shared broker other suites use.
 */
export class PrivateKafka {
  private constructor(
    private readonly dir: string,
    private readonly env: NodeJS.ProcessEnv,
    readonly brokers: string[],
  ) {}

  static async start(): Promise<PrivateKafka> {
    const dir = await mkdtemp(path.join(tmpdir(), 'ordertrack-kafka-'));
    const port = await freePort();
    const controllerPort = await freePort();
    const env = {
      ...process.env,
      SERVICES_DIR: dir,
      KAFKA_PORT: String(port),
      KAFKA_CONTROLLER_PORT: String(controllerPort),
      KAFKA_HEAP_OPTS: '-Xms128m -Xmx384m',
    };
    const kafka = new PrivateKafka(dir, env, [`127.0.0.1:${port}`]);
    await runServicesScript('start', 'kafka', env);
    return kafka;
  }

  /** Freezes the broker process (as a long GC pause or a network partition would): connections hang, nothing fails. */
  async pause(): Promise<void> {
    process.kill(await this.pid(), 'SIGSTOP');
  }

  async resume(): Promise<void> {
    process.kill(await this.pid(), 'SIGCONT');
  }

  async stop(): Promise<void> {
    await this.resume().catch(() => undefined);
    await runServicesScript('stop', 'kafka', this.env);
    await rm(this.dir, { recursive: true, force: true });
  }

  private async pid(): Promise<number> {
    return Number((await readFile(path.join(this.dir, 'kafka', 'kafka.pid'), 'utf8')).trim());
  }
}
