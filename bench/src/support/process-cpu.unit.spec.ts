import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cpuPerUnit, cpuUse, describeCpuPerUnit, thenReaped } from './process-cpu.js';

describe('CPU per unit of work', () => {
  const use = cpuUse(
    { busy: 100, idle: 50, steal: 1 },
    { busy: 118, idle: 52, steal: 1 },
    { app: 10, postgres: 4, redis: 1 },
    { app: 22, postgres: 7, redis: 1.002 },
  );

  it('takes the differences between two readings, host and groups', () => {
    expect(use.hostBusySeconds).toBe(18);
    expect(use.hostBusyShare).toBeCloseTo(0.9);
    expect(use.secondsByGroup['app']).toBe(12);
    expect(use.secondsByGroup['postgres']).toBe(3);
  });

  it('divides into milliseconds per unit', () => {
    const perOrder = cpuPerUnit(use, 12_000);
    expect(perOrder.hostMs).toBeCloseTo(1.5);
    expect(perOrder.msByGroup['app']).toBeCloseTo(1);
    expect(perOrder.msByGroup['postgres']).toBeCloseTo(0.25);
    expect(perOrder.hostBusyShare).toBeCloseTo(0.9);
  });

  it('reports zero, not infinity, when no unit was done', () => {
    expect(cpuPerUnit(use, 0).hostMs).toBe(0);
  });

  it('describes the groups largest first, then what the host used beyond them, leaving out next to nothing', () => {
    expect(describeCpuPerUnit(cpuPerUnit(use, 12_000))).toBe('app 1.00, postgres 0.25, other 0.25 ms; host 90% busy');
  });

  it('says how much of the host’s time the hypervisor gave to other guests, when it gave any', () => {
    const stolen = cpuUse(
      { busy: 100, idle: 50, steal: 1 },
      { busy: 118, idle: 52, steal: 2.6 },
      { app: 10 },
      { app: 22 },
    );
    expect(stolen.hostStealShare).toBeCloseTo(0.08);
    expect(describeCpuPerUnit(cpuPerUnit(stolen, 12_000))).toBe('app 1.00, other 0.50 ms; host 90% busy, 8% stolen');
  });
});

describe('thenReaped', () => {
  it('returns once the matching processes the work started have ended, not when the work does', async () => {
    let childPid = 0;
    const marker = `reaped-probe-${process.pid}`;
    const result = await thenReaped(
      ({ cmdline }) => cmdline.includes(marker),
      () => {
        // Outlives the work by 300 ms, as a backend outlives its client's disconnect.
        const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 300)', marker], { stdio: 'ignore' });
        childPid = child.pid ?? 0;
        return Promise.resolve('done');
      },
    );
    expect(result).toBe('done');
    expect(childPid).toBeGreaterThan(0);
    expect(existsSync(`/proc/${childPid}`)).toBe(false);
  });
});
