import { randomBytes } from 'node:crypto';
import { AuthResponse, Order, PRODUCT_CATALOGUE, RegisterAccepted, type OrderStatus } from '@ordertrack/shared';
import { BENCH_ADMIN } from './app-instance.js';

export interface Customer {
  userId: string;
  token: string;
}

/** The order body every benchmark request sends: two catalogue products, as a dashboard order would. */
export const ORDER_BODY = JSON.stringify({
  items: PRODUCT_CATALOGUE.slice(0, 2).map((product) => ({ productId: product.productId, qty: 1 })),
});

async function expectJson(response: Response, what: string): Promise<unknown> {
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}

/** The REST calls the suite makes, through Node's fetch (undici, keep-alive connections). */
export class ApiClient {
  constructor(readonly baseUrl: string) {}

  /** Sign-up answers without a token (it never tells whether the email was taken), so the customer signs in next. */
  async registerCustomer(): Promise<Customer> {
    const credentials = { email: `bench-${randomBytes(6).toString('hex')}@example.com`, password: 'bench-password' };
    const registered = await fetch(`${this.baseUrl}/auth/register`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Bench customer', ...credentials }),
    });
    RegisterAccepted.parse(await expectJson(registered, 'register'));
    const auth = await this.login(credentials, 'customer login');
    return { userId: auth.user.id, token: auth.accessToken };
  }

  async loginAdmin(): Promise<string> {
    return (await this.login(BENCH_ADMIN, 'admin login')).accessToken;
  }

  private async login(credentials: { email: string; password: string }, what: string): Promise<AuthResponse> {
    const response = await fetch(`${this.baseUrl}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(credentials),
    });
    return AuthResponse.parse(await expectJson(response, what));
  }

  async createOrder(token: string): Promise<Order> {
    const response = await fetch(`${this.baseUrl}/orders`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: ORDER_BODY,
    });
    return Order.parse(await expectJson(response, 'create order'));
  }

  /** Resolves with the HTTP status; the caller decides what a non-200 means for its figure. */
  async changeStatus(adminToken: string, orderId: string, status: OrderStatus): Promise<number> {
    const response = await fetch(`${this.baseUrl}/orders/${orderId}/status`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${adminToken}` },
      body: JSON.stringify({ status }),
    });
    await response.arrayBuffer();
    return response.status;
  }

  async get(path: string, token: string): Promise<Response> {
    const response = await fetch(`${this.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    await response.arrayBuffer();
    return response;
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
