import { io, type Socket } from 'socket.io-client';
import { inParallel } from '../support/api-client.js';
import { LatencyHistogram, type LatencySummary } from '../support/histogram.js';
import { sleep } from '../support/progress.js';
import { RawServerProcess } from './raw-server-process.js';

function connect(port: number): Promise<Socket> {
  const socket = io(`http://127.0.0.1:${port}/echo`, { transports: ['websocket'], forceNew: true });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', reject);
  });
}

/**
 * Socket.IO round trip with nothing else in it: `sockets` clients (as many as the push phase's receivers), one
 * `echo` with acknowledgement every 1/rate seconds, spread round-robin over them, same open-loop schedule.
 */
export async function socketIoEchoBaseline(sockets: number, rate: number, seconds: number): Promise<LatencySummary> {
  const server = await RawServerProcess.start('socketio');
  const clients = await inParallel(Array.from({ length: sockets }), 50, () => connect(server.port));
  try {
    const histogram = new LatencyHistogram();
    const payload = { eventId: '00000000-0000-4000-8000-000000000000', status: 'ACCEPTED', version: 2 };
    const started = performance.now();
    let sent = 0;
    let answered = 0;
    while (performance.now() - started < seconds * 1000) {
      const due = Math.floor(((performance.now() - started) / 1000) * rate);
      for (; sent < due; sent++) {
        const at = performance.now();
        (clients[sent % clients.length] as Socket).emit('echo', payload, () => {
          histogram.recordMs(performance.now() - at);
          answered += 1;
        });
      }
      await sleep(2);
    }
    const deadline = performance.now() + 3000;
    while (answered < sent && performance.now() < deadline) await sleep(20);
    return histogram.summary();
  } finally {
    for (const client of clients) client.disconnect();
    await server.stop();
  }
}
