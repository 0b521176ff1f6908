import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Baselines } from '../baselines/collect.js';
import type { ServiceWarmup } from '../modes/service-warmup.js';
import type { Metric, Mode } from './report.js';
import type { Scale } from './scale.js';

/** Where results go unless `--results-dir` says otherwise: committed, so the README's figures can be checked. */
export const RESULTS_DIRECTORY = fileURLToPath(new URL('../../results/', import.meta.url));

export interface MachineInfo {
  cpus: number;
  cpuModel: string;
  memoryGiB: number;
  node: string;
  platform: string;
  loadAverage: { atStart: number[]; atEnd: number[] };
}

export function machineInfo(loadAtStart: number[]): MachineInfo {
  return {
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform}-${process.arch}`,
    loadAverage: { atStart: loadAtStart, atEnd: loadavg() },
  };
}

export interface RunReport {
  date: string;
  startedAt: string;
  durationSeconds: number;
  scale: Scale;
  modes: Mode[];
  machine: MachineInfo;
  baselines: Baselines;
  /** The services' warm-up before anything was measured, slice by slice; null when the run had none. */
  serviceWarmup: ServiceWarmup | null;
  metrics: Metric[];
  failedTargets: number;
}

/** `<directory>/<YYYY-MM-DD>.json` for a full run; a quick or smoke run writes `<date>.quick.json` or `.smoke.json`. */
export async function writeResults(report: RunReport, directory: string): Promise<string> {
  await mkdir(directory, { recursive: true });
  const file = join(directory, `${report.date}${report.scale.name === 'full' ? '' : `.${report.scale.name}`}.json`);
  await writeFile(file, `${JSON.stringify(report, null, 2)}\n`);
  return file;
}
