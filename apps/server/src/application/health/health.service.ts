import { Inject, Injectable } from '@nestjs/common';
import type { HealthResponse } from '@ordertrack/shared';
import { OutboxStore } from '../../outbox/outbox-store.port.js';
import { DEPENDENCY_PROBES, type DependencyProbe } from '../ports/dependency-probe.port.js';

const PROBE_TIMEOUT_MS = 2000;

@Injectable()
export class HealthService {
  constructor(
    @Inject(DEPENDENCY_PROBES) private readonly probes: DependencyProbe[],
    private readonly outbox: OutboxStore,
  ) {}

  async check(): Promise<HealthResponse> {
    const results = await Promise.all(
      this.probes.map(async (probe) => {
        try {
          await withTimeout(probe.check(), PROBE_TIMEOUT_MS);
          return [probe.name, { status: 'up', adapter: probe.adapter }] as const;
        } catch (error) {
          return [probe.name, { status: 'down', adapter: probe.adapter, detail: String(error) }] as const;
        }
      }),
    );
    const ready = results.every(([, result]) => result.status === 'up');
    const unpublished = await withTimeout(this.outbox.countUnpublished(), PROBE_TIMEOUT_MS).catch(() => null);
    return {
      status: ready ? 'ok' : 'degraded',
      live: true,
      ready,
      dependencies: Object.fromEntries(results) as HealthResponse['dependencies'],
      outbox: { unpublished },
    };
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
