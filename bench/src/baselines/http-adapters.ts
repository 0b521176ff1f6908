import { fileURLToPath } from 'node:url';
import { autocannon } from '../measures/order-throughput.js';
import { ManagedProcess } from '../support/processes.js';
import { waitUntil } from '../support/progress.js';

const SCRIPT = fileURLToPath(new URL('../raw/nest-server.js', import.meta.url));

export interface HttpAdapters {
  /** GET /catalog answered per second by a bare Nest app on each adapter (2xx only). */
  express: number;
  fastify: number;
}

async function bareNestThroughput(adapter: keyof HttpAdapters, connections: number, seconds: number): Promise<number> {
  const child = ManagedProcess.start(process.execPath, [SCRIPT, adapter]);
  try {
    const port = await waitUntil(
      `the bare Nest app on ${adapter} to listen`,
      () => {
        if (child.exited) throw new Error(`bare Nest app on ${adapter} exited:\n${child.logs}`);
        const match = /\{"port":(\d+)\}/.exec(child.logs);
        return match?.[1] === undefined ? undefined : Number(match[1]);
      },
      20_000,
      20,
    );
    return (await autocannon(`http://127.0.0.1:${port}/catalog`, connections, seconds)).perSecond;
  } finally {
    await child.stop();
  }
}

/**
 * The HTTP layer on its own: the app's catalogue route in a bare Nest app, on Express (what the app runs) and on
 * Fastify, at the same connections. The app's own GET /catalog is compared with the Express figure.
 */
export async function httpAdapterBaselines(connections: number, seconds: number): Promise<HttpAdapters> {
  return {
    express: await bareNestThroughput('express', connections, seconds),
    fastify: await bareNestThroughput('fastify', connections, seconds),
  };
}
