import type {
  AuthResponse,
  Order,
  OrderLifecycleEvent,
  OrderServerToClientEvents,
  OrderClientToServerEvents,
} from '@ordertrack/shared';
import { io, type Socket } from 'socket.io-client';
import type { Agent } from 'undici';
import { trustingOnly } from './tls-fixtures.js';
import { waitFor } from './wait-for.js';

export interface ApiResponse<T = unknown> {
  status: number;
  body: T;
  headers: Headers;
}

/** A thin fetch wrapper: tests read status and body exactly as a client would. */
export class ApiClient {
  private readonly dispatcher: Agent | undefined;

  constructor(
    readonly baseUrl: string,
    readonly token?: string,
    /** For an https:// app: the only CA its certificate is verified against (fetch and sockets alike). */
    readonly ca?: string,
  ) {
    this.dispatcher = ca === undefined ? undefined : trustingOnly(ca);
  }

  withToken(token: string): ApiClient {
    return new ApiClient(this.baseUrl, token, this.ca);
  }

  async request<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    headers: Record<string, string> = {},
  ): Promise<ApiResponse<T>> {
    const response = await fetch(`${this.baseUrl}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...(this.token === undefined ? {} : { authorization: `Bearer ${this.token}` }),
        ...headers,
      },
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      ...(this.dispatcher === undefined ? {} : { dispatcher: this.dispatcher }),
    });
    const text = await response.text();
    return {
      status: response.status,
      body: (text === '' ? undefined : JSON.parse(text)) as T,
      headers: response.headers,
    };
  }

  get<T = unknown>(path: string, headers?: Record<string, string>): Promise<ApiResponse<T>> {
    return this.request<T>('GET', path, undefined, headers);
  }

  post<T = unknown>(path: string, body: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>> {
    return this.request<T>('POST', path, body, headers);
  }

  patch<T = unknown>(path: string, body: unknown, headers?: Record<string, string>): Promise<ApiResponse<T>> {
    return this.request<T>('PATCH', path, body, headers);
  }

  /** Signs up, then signs in, as a client does: sign-up answers 202 without a token whether or not it created. */
  async register(name: string, email: string, password = 'password-123'): Promise<Session> {
    const response = await this.post('/auth/register', { name, email, password });
    if (response.status !== 202)
      throw new Error(`register failed: ${response.status} ${JSON.stringify(response.body)}`);
    return this.login(email, password);
  }

  async login(email: string, password: string): Promise<Session> {
    const response = await this.post<AuthResponse>('/auth/login', { email, password });
    if (response.status !== 200) throw new Error(`login failed: ${response.status} ${JSON.stringify(response.body)}`);
    return new Session(this.withToken(response.body.accessToken), response.body);
  }
}

export class Session {
  constructor(
    readonly api: ApiClient,
    readonly auth: AuthResponse,
  ) {}

  get userId(): string {
    return this.auth.user.id;
  }

  async placeOrder(items = [{ productId: 'ESP-001', qty: 1 }], headers?: Record<string, string>): Promise<Order> {
    const response = await this.api.post<Order>('/orders', { items }, headers);
    if (response.status !== 201)
      throw new Error(`place order failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }

  async setStatus(orderId: string, status: string): Promise<Order> {
    const response = await this.api.patch<Order>(`/orders/${orderId}/status`, { status });
    if (response.status !== 200)
      throw new Error(`status change failed: ${response.status} ${JSON.stringify(response.body)}`);
    return response.body;
  }

  connect(): Promise<EventCollector> {
    return EventCollector.connect(this.api.baseUrl, this.auth.accessToken, this.api.ca);
  }
}

export type OrdersSocket = Socket<OrderServerToClientEvents, OrderClientToServerEvents>;

/** A real Socket.IO client that records every `order.updated` it receives. */
export class EventCollector {
  readonly events: OrderLifecycleEvent[] = [];

  private constructor(readonly socket: OrdersSocket) {
    socket.on('order.updated', (event) => this.events.push(event));
  }

  /** `ca`: for an https:// app, the only CA its certificate is verified against. */
  static connect(baseUrl: string, token: string | undefined, ca?: string): Promise<EventCollector> {
    const socket: OrdersSocket = io(`${baseUrl}/orders`, {
      auth: token === undefined ? {} : { token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
      ...(ca === undefined ? {} : { ca, rejectUnauthorized: true }),
    });
    return new Promise((resolve, reject) => {
      socket.once('connect', () => resolve(new EventCollector(socket)));
      socket.once('connect_error', (error) => {
        socket.close();
        reject(error);
      });
    });
  }

  eventsOf(orderId: string): OrderLifecycleEvent[] {
    return this.events.filter((event) => event.orderId === orderId);
  }

  waitForEvent(orderId: string, version: number, timeoutMs = 5000): Promise<OrderLifecycleEvent> {
    return waitFor(
      `order ${orderId} version ${version} pushed`,
      () => this.events.find((event) => event.orderId === orderId && event.version === version),
      timeoutMs,
    );
  }

  close(): void {
    this.socket.close();
  }
}
