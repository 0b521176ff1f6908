import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunReport } from './support/results-file.js';

const RUN = fileURLToPath(new URL('../dist/run.js', import.meta.url));
const RUN_DEADLINE_MS = 300_000;

/** Figures every mode reports; full mode adds the relay, Elasticsearch and search ones. */
const COMMON_IDS = [
  'orders.create.throughput',
  'orders.create.cpu',
  'http.catalog.throughput',
  'fanout.connections.held',
  'fanout.memory.per.idle.connection',
  'push.latency.p50',
  'push.latency.p99',
  'push.latency.p999',
  'push.delivered',
  'fanout.pushes.per.second',
  'recovery.share',
  'recovery.catch.up',
];
const FULL_ONLY_IDS = [
  'relay.lag.p99',
  'push.stage.request.tail',
  'push.stage.commit.tail',
  'push.stage.relay.tail',
  'push.stage.delivery.tail',
  'search.commit.to.searchable.p99',
];

function runBench(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [RUN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const deadline = setTimeout(() => child.kill('SIGINT'), RUN_DEADLINE_MS);
    child.on('error', reject);
    child.on('exit', (code) => {
      clearTimeout(deadline);
      resolve({ code, output });
    });
  });
}

/**
 * The benchmark suite at its smallest scale, both modes, against the real services: it must still run end to end
 * and write a complete report. Nothing in it is timed; the figures only have to exist, and no committed update may
 * be lost on the way to its socket.
 */
describe('npm run bench -- --smoke', () => {
  let directory: string;
  let run: { code: number | null; output: string };
  let report: RunReport;

  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'ordertrack-bench-smoke-'));
    run = await runBench(['--smoke', `--results-dir=${directory}`]);
    const [file] = (await readdir(directory)).filter((name) => name.endsWith('.smoke.json'));
    if (run.code !== 0 || file === undefined) throw new Error(`the bench failed (exit ${run.code}):\n${run.output}`);
    report = JSON.parse(await readFile(join(directory, file), 'utf8')) as RunReport;
  }, RUN_DEADLINE_MS + 30_000);

  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('reports every figure of both modes with a value, and its ratio where it has a baseline', () => {
    expect(report.modes).toEqual(['embedded', 'full']);
    for (const mode of report.modes) {
      const ids = report.metrics.filter((metric) => metric.mode === mode).map((metric) => metric.id);
      expect(ids).toEqual(expect.arrayContaining(mode === 'full' ? [...COMMON_IDS, ...FULL_ONLY_IDS] : COMMON_IDS));
    }
    for (const metric of report.metrics) {
      expect(Number.isFinite(metric.value), `${metric.mode} ${metric.id}`).toBe(true);
      if (metric.baseline !== null && metric.baseline > 0)
        expect(metric.ratio).toBeCloseTo(metric.value / metric.baseline);
    }
    expect(report.metrics.filter((metric) => metric.id === 'http.adapter.fastify')).toHaveLength(1);
    // At smoke scale no 5 s window holds the 100 pushes a p99 of its own needs; the note says so in both modes,
    // then how late the bench's own event loop ran while it timed the pushes.
    const p99Notes = report.metrics.filter((metric) => metric.id === 'push.latency.p99').map((metric) => metric.note);
    expect(p99Notes).toHaveLength(2);
    for (const note of p99Notes) {
      expect(note).toMatch(
        /^no 5 s window held 100 pushes; the bench's own event loop ran late by p99 \d+\.\d ms, at most \d+ ms \(its heap \d+ MiB\)$/,
      );
    }
    expect(report.metrics.some((metric) => metric.id.startsWith('search.') && metric.id.endsWith('.pg.p99'))).toBe(
      true,
    );
  });

  it('delivers every committed update to its owner, also across the socket drop, in both modes', () => {
    const delivered = report.metrics.filter(
      (metric) => metric.id === 'push.delivered' || metric.id === 'recovery.share',
    );
    expect(delivered).toHaveLength(4);
    for (const metric of delivered) expect(metric.value, `${metric.mode} ${metric.id}`).toBe(100);
  });

  it('says where the push-rate climb stopped, in both modes', () => {
    const ceilings = report.metrics.filter((metric) => metric.id === 'fanout.pushes.per.second');
    expect(ceilings).toHaveLength(2);
    for (const ceiling of ceilings) {
      expect(ceiling.note).toMatch(
        /^(highest step tried passed: a floor|p99 there \d+\.\d ms; the next step, \d+ updates\/s|no step passed: the first, \d+ updates\/s)/,
      );
    }
  });

  it('holds every socket of each step up to the bound, each answering a round trip, as a plain ws server does', () => {
    const held = report.metrics.filter((metric) => metric.id === 'fanout.connections.held');
    expect(held.map((metric) => [metric.mode, metric.value, metric.baseline])).toEqual([
      ['embedded', 20, 20],
      ['full', 20, 20],
    ]);
    for (const metric of held) expect(metric.note).toMatch(/^every step held: 20 is this run's bound/);
  });

  it('warms the services up first through a full app that places orders, and keeps each slice', () => {
    expect(report.serviceWarmup).toMatchObject({ minimumSeconds: 1, maximumSeconds: 1, settled: false });
    expect(run.output).toContain('too short to tell whether the services settled');
    expect(report.serviceWarmup?.slices.length).toBeGreaterThan(0);
    for (const slice of report.serviceWarmup?.slices ?? []) {
      expect(slice.ordersPerSecond).toBeGreaterThan(0);
      expect(slice.cpuPerOrder.msByGroup).toHaveProperty('elasticsearch');
    }
    const warmingAt = run.output.indexOf('warming up Kafka');
    expect(warmingAt).toBeGreaterThanOrEqual(0);
    expect(warmingAt).toBeLessThan(run.output.indexOf('baseline:'));
  });

  it('cleans up what it created on the shared services', () => {
    expect(run.output).toContain('cleaning up');
    expect(run.output).not.toContain('cleanup:');
  });
});
