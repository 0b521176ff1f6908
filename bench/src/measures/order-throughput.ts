import { createRequire } from 'node:module';
import { ORDER_BODY, type Customer } from '../support/api-client.js';
import { parseExposition } from '../support/pipeline-idle.js';
import { cpuDuring, cpuPerUnit, type CpuPerUnit, type ProcessGroups } from '../support/process-cpu.js';
import { runToCompletion } from '../support/processes.js';

const AUTOCANNON = createRequire(import.meta.url).resolve('autocannon');

/** The part of autocannon's `--json` report this suite reads. */
interface AutocannonReport {
  duration: number;
  errors: number;
  timeouts: number;
  non2xx: number;
  '2xx': number;
  latency: { p50: number; p99: number };
}

function isReport(value: unknown): value is AutocannonReport {
  return typeof value === 'object' && value !== null && 'duration' in value && '2xx' in value && 'latency' in value;
}

export interface OrderThroughput {
  ordersPerSecond: number;
  failed: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** Mean placements per placing statement during the run (the app's group commit), from its /metrics. */
  placementsPerStatement: number;
  /** The CPU each placed order cost, over the counted run only. */
  cpuPerOrder: CpuPerUnit;
}

/** autocannon in its own process (its own event loop, like a load generator on another machine would have). */
export async function autocannon(url: string, connections: number, seconds: number, options: string[] = []) {
  const output = await runToCompletion(process.execPath, [
    AUTOCANNON,
    '--json',
    '-c',
    String(connections),
    '-d',
    String(seconds),
    ...options,
    url,
  ]);
  const report: unknown = JSON.parse(output);
  if (!isReport(report)) throw new Error(`unexpected autocannon output:\n${output}`);
  return {
    succeeded: report['2xx'],
    perSecond: report['2xx'] / report.duration,
    failed: report.errors + report.timeouts + report.non2xx,
    latencyP50Ms: report.latency.p50,
    latencyP99Ms: report.latency.p99,
  };
}

/** Placements and placing statements so far, from the app's `ordertrack_order_placements_per_statement`. */
async function placingStatements(baseUrl: string): Promise<{ placements: number; statements: number }> {
  const samples = parseExposition(await (await fetch(`${baseUrl}/metrics`)).text());
  const value = (name: string) => samples.find((sample) => sample.name === name)?.value ?? 0;
  return {
    placements: value('ordertrack_order_placements_per_statement_sum'),
    statements: value('ordertrack_order_placements_per_statement_count'),
  };
}

/**
 * `POST /orders` at a fixed number of connections. Only 2xx answers count as placed orders. The same load runs
 * `warmupSeconds` first, not counted: a freshly started app measured 620, 870, 1,118 and 1,135 orders/s in four
 * back-to-back 10 s runs (JIT, connection pools, statement caches), and what is compared with pgbench is the
 * steady state, not the start-up.
 */
export async function measureOrderThroughput(
  baseUrl: string,
  customer: Customer,
  connections: number,
  seconds: number,
  warmupSeconds: number,
  /** The processes whose CPU the counted run is charged with, each on its own. */
  groups: ProcessGroups,
): Promise<OrderThroughput> {
  const placeOrders = (duration: number) =>
    autocannon(`${baseUrl}/orders`, connections, duration, [
      '-m',
      'POST',
      '-H',
      'content-type=application/json',
      '-H',
      `authorization=Bearer ${customer.token}`,
      '-b',
      ORDER_BODY,
    ]);
  if (warmupSeconds > 0) await placeOrders(warmupSeconds);
  const before = await placingStatements(baseUrl);
  const { result, cpu } = await cpuDuring(groups, () => placeOrders(seconds));
  const after = await placingStatements(baseUrl);
  const statements = after.statements - before.statements;
  const placementsPerStatement = statements === 0 ? 0 : (after.placements - before.placements) / statements;
  return {
    ordersPerSecond: result.perSecond,
    failed: result.failed,
    latencyP50Ms: result.latencyP50Ms,
    latencyP99Ms: result.latencyP99Ms,
    placementsPerStatement,
    cpuPerOrder: cpuPerUnit(cpu, result.succeeded),
  };
}
