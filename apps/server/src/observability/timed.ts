import type { Histogram } from 'prom-client';

type OutcomeHistogram = Histogram<'operation' | 'outcome'>;

/** Observes how long `work` took under `operation`, with outcome ok or error; rethrows whatever it threw. */
export async function timed<T>(histogram: OutcomeHistogram, operation: string, work: () => Promise<T>): Promise<T> {
  const stop = histogram.startTimer({ operation });
  try {
    const result = await work();
    stop({ outcome: 'ok' });
    return result;
  } catch (error) {
    stop({ outcome: 'error' });
    throw error;
  }
}

/**
 * Wraps every method of an adapter that returns a promise so its latency is observed as `<component>.<method>`.
 * A Proxy rather than a hand-written decorator per port: the adapters stay untouched, and a method added to a
 * port later is measured without anyone remembering to. Synchronous methods pass through unchanged.
 */
export function timeAsyncMethods<T extends object>(target: T, component: string, histogram: OutcomeHistogram): T {
  return new Proxy(target, {
    get(object, property, receiver) {
      const value: unknown = Reflect.get(object, property, receiver);
      if (typeof value !== 'function' || typeof property !== 'string' || property === 'constructor') return value;
      const method = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]): unknown => {
        const stop = histogram.startTimer({ operation: `${component}.${property}` });
        let result: unknown;
        try {
          result = method.apply(object, args);
        } catch (error) {
          stop({ outcome: 'error' });
          throw error;
        }
        if (!(result instanceof Promise)) return result;
        return result.then(
          (resolved: unknown) => {
            stop({ outcome: 'ok' });
            return resolved;
          },
          (error: unknown) => {
            stop({ outcome: 'error' });
            throw error;
          },
        );
      };
    },
  });
}
