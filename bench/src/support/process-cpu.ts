import { readdir, readFile } from 'node:fs/promises';

/** Linux's clock ticks per second for /proc CPU times (USER_HZ, 100 on every mainstream build). */
const TICKS_PER_SECOND = 100;

export type ProcessGroups = Record<string, (process: { pid: number; comm: string; cmdline: string }) => boolean>;

/** The app's process and the services it uses, as the single-phase tools report their CPU. */
export function appAndServiceGroups(appPid: number): ProcessGroups {
  return {
    app: ({ pid }) => pid === appPid,
    postgres: ({ comm }) => comm === 'postgres',
    kafka: ({ comm, cmdline }) => comm === 'java' && cmdline.includes('kafka.Kafka'),
    elasticsearch: ({ comm, cmdline }) => comm === 'java' && cmdline.includes('elasticsearch'),
    redis: ({ comm }) => comm.startsWith('redis-server'),
  };
}

/** CPU seconds used so far by each group of processes (user + system), read from /proc. */
export async function cpuSecondsByGroup(groups: ProcessGroups): Promise<Record<string, number>> {
  const totals: Record<string, number> = Object.fromEntries(Object.keys(groups).map((name) => [name, 0]));
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
      const seconds = (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
      const process = { pid, comm, cmdline: cmdline.replaceAll('\0', ' ') };
      for (const [name, matches] of Object.entries(groups)) {
        if (matches(process)) {
          totals[name] = (totals[name] ?? 0) + seconds;
          break;
        }
      }
    } catch {
      // The process ended between the listing and the read.
    }
  }
  return totals;
}

export interface HostCpu {
  busy: number;
  idle: number;
}

/** The whole machine's CPU seconds so far, busy and idle (all cores), from the first line of /proc/stat. */
export async function hostCpuSeconds(): Promise<HostCpu> {
  const line = (await readFile('/proc/stat', 'utf8')).split('\n')[0] ?? '';
  // cpu user nice system idle iowait irq softirq steal …
  const ticks = line.trim().split(/\s+/).slice(1, 9).map(Number);
  const idle = (ticks[3] ?? 0) + (ticks[4] ?? 0);
  const busy = ticks.reduce((sum, value) => sum + value, 0) - idle;
  return { busy: busy / TICKS_PER_SECOND, idle: idle / TICKS_PER_SECOND };
}

/** The share of the whole machine's CPU time that was busy between two readings of hostCpuSeconds. */
export function hostBusyShare(before: HostCpu, after: HostCpu): number {
  const busy = after.busy - before.busy;
  const total = busy + after.idle - before.idle;
  return total === 0 ? 0 : busy / total;
}
