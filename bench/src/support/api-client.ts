import { randomBytes } from 'node:crypto';
import { AuthResponse, Order, PRODUCT_CATALOGUE, RegisterAccepted, type OrderStatus } from '@ordertrack/shared';
import { Pool } from 'undici';
import { BENCH_ADMIN } from './app-instance.js';

export interface Customer {
  userId: string;
  token: string;
}

/** The order body every benchmark request sends: two catalogue products, as a dashboard order would. */
export const ORDER_BODY = JSON.stringify({
  items: PRODUCT_CATALOGUE.slice(0, 2).map((product) => ({ productId: product.productId, qty: 1 })),
});

/** What a call answered: its status and its body, read whole. */
export interface ApiResponse {
  status: number;
  body: string;
}

function expectJson(response: ApiResponse, what: string): unknown {
  if (response.status < 200 || response.status > 299)
    throw new Error(`${what}: HTTP ${response.status} ${response.body}`);
  return JSON.parse(response.body);
}

/**
 * The REST calls the suite makes, through one undici pool of keep-alive connections. Not `fetch`: with its WHATWG
 * layer (Request, Headers, body streams) the bench process used 25-37% of a core at 250 PATCH/s, with the pool
 * 17-20%, and on a two-core machine the generator's CPU is taken from the system it measures.
 */
export class ApiClient {
  private readonly pool: Pool;

  constructor(readonly baseUrl: string) {
    this.pool = new Pool(baseUrl);
  }

  /** Sign-up answers without a token (it never tells whether the email was taken), so the customer signs in next. */
  async registerCustomer(): Promise<Customer> {
    const credentials = { email: `bench-${randomBytes(6).toString('hex')}@example.com`, password: 'bench-password' };
    const registered = await this.send('POST', '/auth/register', { name: 'Bench customer', ...credentials });
    RegisterAccepted.parse(expectJson(registered, 'register'));
    const auth = await this.login(credentials, 'customer login');
    return { userId: auth.user.id, token: auth.accessToken };
  }

  async loginAdmin(): Promise<string> {
    return (await this.login(BENCH_ADMIN, 'admin login')).accessToken;
  }

  private async login(credentials: { email: string; password: string }, what: string): Promise<AuthResponse> {
    return AuthResponse.parse(expectJson(await this.send('POST', '/auth/login', credentials), what));
  }

  async createOrder(token: string): Promise<Order> {
    return Order.parse(expectJson(await this.send('POST', '/orders', ORDER_BODY, token), 'create order'));
  }

  /** Resolves with the HTTP status; the caller decides what a non-200 means for its figure. */
  async changeStatus(adminToken: string, orderId: string, status: OrderStatus): Promise<number> {
    return (await this.send('PATCH', `/orders/${orderId}/status`, { status }, adminToken)).status;
  }

  get(path: string, token: string): Promise<ApiResponse> {
    return this.send('GET', path, undefined, token);
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  /** `body`: JSON text, or a value to serialise. */
  private async send(
    method: 'GET' | 'POST' | 'PATCH',
    path: string,
    body: unknown,
    token?: string,
  ): Promise<ApiResponse> {
    const headers: Record<string, string> = {};
    if (token !== undefined) headers['authorization'] = `Bearer ${token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await this.pool.request({
      method,
      path,
      headers,
      ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    return { status: response.statusCode, body: await response.body.text() };
  }
}

/** Runs `work` over `items` with at most `concurrency` calls in flight. */
export async function inParallel<T, R>(
  items: readonly T[],
  concurrency: number,
  work: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, lane));
  return results;
}
