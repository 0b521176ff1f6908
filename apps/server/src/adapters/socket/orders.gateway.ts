import { Logger, type BeforeApplicationShutdown } from '@nestjs/common';
import { SubscribeMessage, WebSocketGateway, WebSocketServer, type OnGatewayInit } from '@nestjs/websockets';
import {
  ORDERS_NAMESPACE,
  ResumeRequest,
  type OrderClientToServerEvents,
  type OrderLifecycleEvent,
  type OrderServerToClientEvents,
  type ResumeResult,
} from '@ordertrack/shared';
import type { Namespace, Socket } from 'socket.io';
import type { Actor } from '../../application/actor.js';
import { RealtimeNotifier } from '../../application/ports/realtime.port.js';
import { TokenService } from '../../application/ports/security.port.js';
import { ResumeOrdersService } from '../../application/realtime/resume-orders.service.js';
import { AppMetrics } from '../../observability/metrics.js';

type OrdersNamespace = Namespace<OrderClientToServerEvents, OrderServerToClientEvents>;
type OrdersSocket = Socket<OrderClientToServerEvents, OrderServerToClientEvents, Record<string, never>, SocketData>;

interface SocketData {
  actor: Actor;
}

const ADMINS_ROOM = 'admins';
const userRoom = (userId: string): string => `user:${userId}`;
/** Socket.IO's default is 1 MB; resume requests are the largest message a client sends. */
export const MAX_SOCKET_MESSAGE_BYTES = 64 * 1024;

/**
 * The `/orders` namespace. The handshake must carry a valid access token (`auth: {token}`); each socket joins
 * only its owner's room (customers) or the admins room, so nobody can subscribe to another user's orders.
 */
@WebSocketGateway({ namespace: ORDERS_NAMESPACE, maxHttpBufferSize: MAX_SOCKET_MESSAGE_BYTES })
export class OrdersGateway extends RealtimeNotifier implements OnGatewayInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(OrdersGateway.name);

  @WebSocketServer()
  private readonly namespace!: OrdersNamespace;

  constructor(
    private readonly tokens: TokenService,
    private readonly resumeOrders: ResumeOrdersService,
    private readonly metrics: AppMetrics,
  ) {
    super();
  }

  afterInit(namespace: OrdersNamespace): void {
    namespace.use((socket, next) => {
      void this.authenticate(socket as OrdersSocket).then(
        () => next(),
        () => next(new Error('unauthorized: a valid access token is required in auth.token')),
      );
    });
  }

  /** Tells this instance's clients why they are dropped, so they reconnect (to another instance) and resume. */
  beforeApplicationShutdown(): void {
    this.namespace.local.emit('session.ended', { reason: 'server-shutdown' });
    this.namespace.local.disconnectSockets(true);
  }

  push(event: OrderLifecycleEvent): void {
    this.namespace.to([userRoom(event.userId), ADMINS_ROOM]).emit('order.updated', event);
    this.metrics.recordPush(event, Date.now());
  }

  @SubscribeMessage('orders.resume')
  async resume(client: OrdersSocket, payload: unknown): Promise<ResumeResult> {
    const request = ResumeRequest.safeParse(payload);
    if (!request.success) {
      return {
        ok: false,
        error: request.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; '),
      };
    }
    try {
      return { ok: true, events: await this.resumeOrders.resume(client.data.actor, request.data) };
    } catch (error) {
      this.logger.error(`resume failed: ${String(error)}`);
      return { ok: false, error: 'resume is temporarily unavailable, retry' };
    }
  }

  private async authenticate(socket: OrdersSocket): Promise<void> {
    const token: unknown = (socket.handshake.auth as Record<string, unknown>)['token'];
    if (typeof token !== 'string') throw new Error('no token');
    const verified = await this.tokens.verify(token);
    socket.data.actor = { userId: verified.userId, role: verified.role };
    await socket.join(verified.role === 'ADMIN' ? ADMINS_ROOM : userRoom(verified.userId));
    const expiresIn = verified.expiresAt.getTime() - Date.now();
    const timer = setTimeout(
      () => {
        socket.emit('session.ended', { reason: 'token-expired' });
        socket.disconnect(true);
      },
      Math.max(0, expiresIn),
    );
    this.metrics.websocketConnections.inc();
    socket.on('disconnect', () => {
      clearTimeout(timer);
      this.metrics.websocketConnections.dec();
    });
  }
}
