import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './app-process.js';
import { waitFor } from './wait-for.js';

export interface PromVectorSample {
  metric: Record<string, string>;
  value: [number, string];
}

/**
 * Debian's real Prometheus (`/usr/bin/prometheus`) on a free loopback port, with a temporary config and storage
 * directory, scraping the given targets every second. `stop()` ends it and removes its files.
 */
export class PrometheusServer {
  private output = '';

  private constructor(
    private readonly child: ChildProcess,
    private readonly dir: string,
    readonly url: string,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.output += chunk.toString()));
  }

  static async start(targets: string[], ruleFiles: string[] = []): Promise<PrometheusServer> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ordertrack-prometheus-'));
    const config = {
      global: { scrape_interval: '1s', evaluation_interval: '1s' },
      rule_files: ruleFiles,
      scrape_configs: [{ job_name: 'ordertrack', metrics_path: '/metrics', static_configs: [{ targets }] }],
    };
    // JSON is YAML: no YAML library needed to write the config.
    await writeFile(path.join(dir, 'prometheus.yml'), JSON.stringify(config));
    const port = await freePort();
    const child = spawn(
      'prometheus',
      [
        `--config.file=${path.join(dir, 'prometheus.yml')}`,
        `--storage.tsdb.path=${path.join(dir, 'data')}`,
        `--web.listen-address=127.0.0.1:${port}`,
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    const server = new PrometheusServer(child, dir, `http://127.0.0.1:${port}`);
    await waitFor(
      'Prometheus to be ready',
      async () => {
        if (child.exitCode !== null) throw new Error(`prometheus exited with ${child.exitCode}:\n${server.output}`);
        const response = await fetch(`${server.url}/-/ready`).catch(() => undefined);
        return response?.status === 200 ? true : undefined;
      },
      30_000,
    ).catch(async (error: unknown) => {
      await server.stop();
      throw error;
    });
    return server;
  }

  /** An instant PromQL query through the HTTP API. */
  async query(promql: string): Promise<PromVectorSample[]> {
    const response = await fetch(`${this.url}/api/v1/query?query=${encodeURIComponent(promql)}`);
    const body = (await response.json()) as { status: string; data?: { result: PromVectorSample[] }; error?: string };
    if (body.status !== 'success' || body.data === undefined) throw new Error(`query failed: ${body.error ?? ''}`);
    return body.data.result;
  }

  async stop(): Promise<void> {
    if (this.child.exitCode === null && this.child.signalCode === null) {
      await new Promise<void>((resolve) => {
        this.child.once('exit', () => resolve());
        this.child.kill('SIGTERM');
      });
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}
