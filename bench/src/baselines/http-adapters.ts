import { autocannon } from '../measures/order-throughput.js';
import { RawServerProcess } from './raw-server-process.js';

export interface HttpAdapters {
  /** GET /catalog answered per second by a bare Nest app on each adapter (2xx only). */
  express: number;
  fastify: number;
}

async function bareNestThroughput(adapter: keyof HttpAdapters, connections: number, seconds: number): Promise<number> {
  const server = await RawServerProcess.start(adapter);
  try {
    return (await autocannon(`http://127.0.0.1:${server.port}/catalog`, connections, seconds)).perSecond;
  } finally {
    await server.stop();
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
