/**
 * The raw baselines' servers, each in its own process so that their memory is measured the way the app's is:
 *   node raw-server.js socketio   Socket.IO on /echo: acknowledges every `echo` with its payload
 *   node raw-server.js ws         plain `ws`: a message `<id>|<payload>` is forwarded to the connection `?id=<id>`
 * Prints `{"port": N}` once listening.
 */
import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { WebSocketServer, type WebSocket } from 'ws';

const kind = process.argv[2];
const http = createServer();

if (kind === 'socketio') {
  const io = new Server(http, { transports: ['websocket'] });
  io.of('/echo').on('connection', (socket) => {
    socket.on('echo', (payload: unknown, ack: unknown) => {
      if (typeof ack === 'function') (ack as (payload: unknown) => void)(payload);
    });
  });
} else if (kind === 'ws') {
  const connections = new Map<string, WebSocket>();
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', (socket, request) => {
    const id = new URL(request.url ?? '/', 'http://localhost').searchParams.get('id');
    if (id !== null) connections.set(id, socket);
    socket.on('close', () => {
      if (id !== null) connections.delete(id);
    });
    socket.on('message', (data: Buffer) => {
      const text = data.toString();
      const separator = text.indexOf('|');
      connections.get(text.slice(0, separator))?.send(text.slice(separator + 1));
    });
  });
} else {
  console.error('usage: raw-server.js socketio|ws');
  process.exit(2);
}

http.listen(0, '127.0.0.1', () => {
  const address = http.address();
  if (typeof address === 'object' && address !== null) console.log(JSON.stringify({ port: address.port }));
});
