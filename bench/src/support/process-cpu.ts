import { readdir, readFile } from 'node:fs/promises';
import { sleep } from './progress.js';

/** Linux's clock ticks per second for /proc CPU times (USER_HZ, 100 on every mainstream build). */
const TICKS_PER_SECOND = 100;

export type ProcessMatcher = (process: { pid: number; comm: string; cmdline: string }) => boolean;
export type ProcessGroups = Record<string, ProcessMatcher>;

/** PostgreSQL's server processes: the postmaster, its background workers and one backend per connection. */
export const isPostgres: ProcessMatcher = ({ comm }) => comm === 'postgres';

/** The app's process and the services it uses, as the single-phase tools report their CPU. */
export function appAndServiceGroups(appPid: number): ProcessGroups {
  return {
    app: ({ pid }) => pid === appPid,
    postgres: isPostgres,
    kafka: ({ comm, cmdline }) => comm === 'java' && cmdline.includes('kafka.Kafka'),
    elasticsearch: ({ comm, cmdline }) => comm === 'java' && cmdline.includes('elasticsearch'),
    redis: ({ comm }) => comm.startsWith('redis-server'),
  };
}

/** The benchmark's own process, with the children it ran and reaped (autocannon, pgbench): the load generator. */
const BENCH_AND_LOAD = 'bench+load';

/** The processes the pgbench baseline uses: PostgreSQL and pgbench itself (reaped by the bench). */
export function pgbenchGroups(): ProcessGroups {
  return {
    postgres: isPostgres,
    [BENCH_AND_LOAD]: ({ pid }) => pid === process.pid,
  };
}

/** The app's process, the services it uses and the load generator: where an order's CPU goes. */
export function orderPhaseGroups(appPid: number): ProcessGroups {
  return { ...appAndServiceGroups(appPid), [BENCH_AND_LOAD]: ({ pid }) => pid === process.pid };
}

interface ProcessReading {
  pid: number;
  comm: string;
  cmdline: string;
  /** utime + stime + cutime + cstime. */
  cpuSeconds: number;
}

/** Every process's CPU seconds so far, from /proc; a process that ends while it is read is left out. */
async function readProcesses(): Promise<ProcessReading[]> {
  const readings: ProcessReading[] = [];
  for (const entry of await readdir('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const [stat, cmdline] = await Promise.all([
        readFile(`/proc/${pid}/stat`, 'utf8'),
        readFile(`/proc/${pid}/cmdline`, 'utf8'),
      ]);
      const commEnd = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, commEnd);
      const fields = stat.slice(commEnd + 2).split(' ');
      // utime, stime, cutime, cstime
      const cpuSeconds = fields.slice(11, 15).reduce((sum, field) => sum + Number(field), 0) / TICKS_PER_SECOND;
      readings.push({ pid, comm, cmdline: cmdline.replaceAll('\0', ' '), cpuSeconds });
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return readings;
}

/**
 * CPU seconds used so far by each group of processes (user + system), read from /proc. A process's figure includes
 * the children it has reaped (cutime, cstime): PostgreSQL's backends and the load generator end within a phase, and
 * their time then moves to their parent instead of vanishing from the total.
 */
export async function cpuSecondsByGroup(groups: ProcessGroups): Promise<Record<string, number>> {
  const totals: Record<string, number> = Object.fromEntries(Object.keys(groups).map((name) => [name, 0]));
  for (const reading of await readProcesses()) {
    const name = Object.keys(groups).find((group) => groups[group]?.(reading) === true);
    if (name !== undefined) totals[name] = (totals[name] ?? 0) + reading.cpuSeconds;
  }
  return totals;
}

/** `steal` is part of `busy`: time the hypervisor gave this machine's cores to another guest. */
export interface HostCpu {
  busy: number;
  idle: number;
  steal: number;
}

/** The whole machine's CPU seconds so far, busy and idle (all cores), from the first line of /proc/stat. */
export async function hostCpuSeconds(): Promise<HostCpu> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
  // cpu user nice system idle iowait irq softirq steal …
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  const busy = ticks.reduce((sum, value) => sum + value, 0) - idle;
  const steal = ticks[7] ?? 0;
  return { busy: busy / TICKS_PER_SECOND, idle: idle / TICKS_PER_SECOND, steal: steal / TICKS_PER_SECOND };
}

/** The share of the whole machine's CPU time that was busy between two readings of hostCpuSeconds. */
export function hostBusyShare(before: HostCpu, after: HostCpu): number {
  return shareOfHostTime(before, after, after.busy - before.busy);
}

/** The share of the whole machine's CPU time the hypervisor gave to other guests between two readings. */
export function hostStealShare(before: HostCpu, after: HostCpu): number {
  return shareOfHostTime(before, after, after.steal - before.steal);
}

function shareOfHostTime(before: HostCpu, after: HostCpu, seconds: number): number {
  const total = after.busy - before.busy + after.idle - before.idle;
  return total === 0 ? 0 : seconds / total;
}

/** The CPU a piece of work used: the whole host's busy seconds and share, and each group's seconds. */
export interface CpuUse {
  hostBusySeconds: number;
  hostBusyShare: number;
  hostStealShare: number;
  secondsByGroup: Record<string, number>;
}

/** Runs `work` between two readings of the host's and the groups' CPU. */
export async function cpuDuring<T>(groups: ProcessGroups, work: () => Promise<T>): Promise<{ result: T; cpu: CpuUse }> {
  const [groupsBefore, hostBefore] = await Promise.all([cpuSecondsByGroup(groups), hostCpuSeconds()]);
  const result = await work();
  const [groupsAfter, hostAfter] = await Promise.all([cpuSecondsByGroup(groups), hostCpuSeconds()]);
  return { result, cpu: cpuUse(hostBefore, hostAfter, groupsBefore, groupsAfter) };
}

const REAPED_DEADLINE_MS = 3_000;
const REAPED_POLL_MS = 10;

/**
 * Runs `work`, then waits (up to REAPED_DEADLINE_MS) until the processes matching `matches` that appeared meanwhile
 * are gone, reaped by their parent. For work whose processes end with it (pgbench's PostgreSQL backends): a CPU
 * reading taken while the postmaster reaps them can read a backend neither as itself (gone) nor in its parent's
 * children time (read a moment before); a pgbench round on 2026-12-07 lost all of PostgreSQL's CPU that way.
 */
export async function thenReaped<T>(matches: ProcessMatcher, work: () => Promise<T>): Promise<T> {
  const present = new Set((await readProcesses()).map((reading) => reading.pid));
  const result = await work();
  const deadline = performance.now() + REAPED_DEADLINE_MS;
  while (performance.now() < deadline) {
    const readings = await readProcesses();
    if (!readings.some((reading) => matches(reading) && !present.has(reading.pid))) break;
    await sleep(REAPED_POLL_MS);
  }
  return result;
}

export function cpuUse(
  hostBefore: HostCpu,
  hostAfter: HostCpu,
  groupsBefore: Record<string, number>,
  groupsAfter: Record<string, number>,
): CpuUse {
  return {
    hostBusySeconds: hostAfter.busy - hostBefore.busy,
    hostBusyShare: hostBusyShare(hostBefore, hostAfter),
    hostStealShare: hostStealShare(hostBefore, hostAfter),
    secondsByGroup: Object.fromEntries(
      Object.entries(groupsAfter).map(([name, seconds]) => [name, seconds - (groupsBefore[name] ?? 0)]),
    ),
  };
}

/** CPU milliseconds per unit of work (an order, a transaction): the whole host's and each group's. */
export interface CpuPerUnit {
  hostMs: number;
  hostBusyShare: number;
  hostStealShare: number;
  msByGroup: Record<string, number>;
}

export function cpuPerUnit(cpu: CpuUse, units: number): CpuPerUnit {
  const perUnit = (seconds: number) => (units === 0 ? 0 : (1000 * seconds) / units);
  return {
    hostMs: perUnit(cpu.hostBusySeconds),
    hostBusyShare: cpu.hostBusyShare,
    hostStealShare: cpu.hostStealShare,
    msByGroup: Object.fromEntries(
      Object.entries(cpu.secondsByGroup).map(([name, seconds]) => [name, perUnit(seconds)]),
    ),
  };
}

/**
 * `app 0.62, postgres 0.25, other 0.04 ms; host 86% busy`, largest first, groups that used (next to) nothing left
 * out. `other` is the host's figure less the groups': the kernel's own threads and whatever else runs on the host;
 * a large one means the groups missed time. `, 4% stolen` follows when the hypervisor gave at least half a percent of
 * the host's time to other guests (counted in busy and in other): the one sign of a neighbour slowing this host.
 */
export function describeCpuPerUnit(perUnit: CpuPerUnit): string {
  const measured = Object.values(perUnit.msByGroup).reduce((sum, ms) => sum + ms, 0);
  const parts = [...Object.entries(perUnit.msByGroup)]
    .sort(([, a], [, b]) => b - a)
    .concat([['other', perUnit.hostMs - measured]])
    .filter(([, ms]) => ms >= 0.005)
    .map(([name, ms]) => `${name} ${ms.toFixed(2)}`)
    .join(', ');
  const steal = perUnit.hostStealShare >= 0.005 ? `, ${(100 * perUnit.hostStealShare).toFixed(0)}% stolen` : '';
  return `${parts === '' ? 'nothing measured' : `${parts} ms`}; host ${(100 * perUnit.hostBusyShare).toFixed(0)}% busy${steal}`;
}

/** `1.38 ms (app 0.62, …; host 86% busy)`: the host's figure, then its split. */
export function describeCpuWithTotal(perUnit: CpuPerUnit): string {
  return `${perUnit.hostMs.toFixed(2)} ms (${describeCpuPerUnit(perUnit)})`;
}
