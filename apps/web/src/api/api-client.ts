import {
  AuthResponse,
  Order,
  OrderHistoryResponse,
  OrderPage,
  OrderStats,
  ProductCatalogue,
  RegisterAccepted,
  SearchOrdersResponse,
  type CreateOrderRequest,
  type LoginRequest,
  type OrderStatus,
  type RegisterRequest,
} from '@ordertrack/shared';
import type { z } from 'zod';
import { ApiError, NetworkError } from './api-error';

/** What the search form sends; every field is optional and empty ones are left out of the query string. */
export interface OrderSearchParams {
  orderId?: string | undefined;
  userId?: string | undefined;
  status?: readonly OrderStatus[] | undefined;
  from?: string | undefined;
  to?: string | undefined;
  q?: string | undefined;
  page?: number | undefined;
  size?: number | undefined;
}

export interface StatsRange {
  from?: string | undefined;
  to?: string | undefined;
}

export interface ApiClientOptions {
  /** The current access token, read on every request so a new sign-in takes effect at once. */
  getToken: () => string | undefined;
  /** Called when the server answers 401 to an authenticated request (expired or revoked token). */
  onUnauthorized: () => void;
  baseUrl?: string;
}

interface RequestOptions<T> {
  method?: 'GET' | 'POST' | 'PATCH';
  body?: unknown;
  headers?: Record<string, string>;
  schema: z.ZodType<T>;
  authenticated?: boolean;
}

function queryString(params: Record<string, string | number | readonly string[] | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length > 0) search.set(key, value.join(','));
    } else {
      search.set(key, String(value));
    }
  }
  const text = search.toString();
  return text === '' ? '' : `?${text}`;
}

/** The one typed client for the order-tracking REST API; every response is checked against the shared schema. */
export function createApiClient({ getToken, onUnauthorized, baseUrl = '' }: ApiClientOptions) {
  async function request<T>(path: string, options: RequestOptions<T>): Promise<T> {
    const { method = 'GET', body, headers = {}, schema, authenticated = true } = options;
    const token = authenticated ? getToken() : undefined;
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          Accept: 'application/json',
          ...(body === undefined ? {} : { 'Content-Type': 'application/json' }),
          ...(token === undefined ? {} : { Authorization: `Bearer ${token}` }),
          ...headers,
        },
        body: body === undefined ? null : JSON.stringify(body),
      });
    } catch (cause) {
      throw new NetworkError(cause);
    }
    if (!response.ok) {
      const error = await ApiError.fromResponse(response);
      if (error.status === 401 && authenticated) onUnauthorized();
      throw error;
    }
    return schema.parse(await response.json());
  }

  return {
    /** Answers the same whether or not the email already had an account; sign in afterwards. */
    register: (body: RegisterRequest) =>
      request('/auth/register', { method: 'POST', body, schema: RegisterAccepted, authenticated: false }),
    login: (body: LoginRequest) =>
      request('/auth/login', { method: 'POST', body, schema: AuthResponse, authenticated: false }),
    catalog: () => request('/catalog', { schema: ProductCatalogue }),
    placeOrder: (body: CreateOrderRequest, idempotencyKey: string) =>
      request('/orders', { method: 'POST', body, headers: { 'Idempotency-Key': idempotencyKey }, schema: Order }),
    getOrder: (orderId: string) => request(`/orders/${encodeURIComponent(orderId)}`, { schema: Order }),
    listUserOrders: (userId: string, page: { limit?: number; cursor?: string } = {}) =>
      request(`/orders/user/${encodeURIComponent(userId)}${queryString(page)}`, { schema: OrderPage }),
    /** `expectedVersion` goes out as `If-Match`, so a change based on a stale view answers 412 instead of applying. */
    changeStatus: (orderId: string, status: OrderStatus, expectedVersion: number) =>
      request(`/orders/${encodeURIComponent(orderId)}/status`, {
        method: 'PATCH',
        body: { status },
        headers: { 'If-Match': `"${expectedVersion}"` },
        schema: Order,
      }),
    searchOrders: (params: OrderSearchParams) =>
      request(`/search/orders${queryString({ ...params })}`, { schema: SearchOrdersResponse }),
    orderHistory: (orderId: string) =>
      request(`/search/orders/${encodeURIComponent(orderId)}/history`, { schema: OrderHistoryResponse }),
    stats: (range: StatsRange) => request(`/search/orders/stats${queryString({ ...range })}`, { schema: OrderStats }),
  };
}

export type ApiClient = ReturnType<typeof createApiClient>;
