import type { IncomingMessage, ServerResponse } from 'node:http';

/** What the HTTP pipeline leaves on a request that the access log wants; all optional, nothing else is read. */
export interface LoggableRequest extends IncomingMessage {
  originalUrl?: string;
  route?: { path?: unknown };
  params?: Record<string, unknown>;
  actor?: { userId: string };
}

/** Route templates whose `:id` parameter is an order id, so the access log can name the order. */
const ORDER_ID_ROUTES = new Set([
  '/orders/:id',
  '/orders/:id/status',
  '/search/orders/:id/history',
  '/audit/orders/:id',
]);

/** Set by OrderLogContextInterceptor when an order is created, because the id exists only in the response. */
export const CREATED_ORDER_ID = Symbol('ordertrack.createdOrderId');
export type ResponseWithOrderId = ServerResponse & { [CREATED_ORDER_ID]?: string };

export function routeTemplateOf(request: LoggableRequest): string | undefined {
  return typeof request.route?.path === 'string' ? request.route.path : undefined;
}

function orderIdOf(request: LoggableRequest, response: ResponseWithOrderId): string | undefined {
  const route = routeTemplateOf(request);
  const param = request.params?.['id'];
  if (route !== undefined && ORDER_ID_ROUTES.has(route) && typeof param === 'string') return param;
  return response[CREATED_ORDER_ID];
}

/**
 * The access-log line in ECS field names. Built from an allow-list: headers, bodies and query strings are never
 * logged, so tokens, cookies and passwords cannot leak through it.
 */
export function ecsAccessFields(
  request: LoggableRequest,
  response: ResponseWithOrderId,
  responseTimeMs: number,
): Record<string, string | number> {
  const fields: Record<string, string | number> = {
    'event.kind': 'event',
    'event.category': 'web',
    'event.duration': Math.round(responseTimeMs * 1e6),
    'http.request.method': request.method ?? 'UNKNOWN',
    'url.path': (request.originalUrl ?? request.url ?? '').split('?')[0] ?? '',
    'http.response.status_code': response.statusCode,
  };
  const route = routeTemplateOf(request);
  if (route !== undefined) fields['http.route'] = route;
  const userAgent = request.headers['user-agent'];
  if (userAgent !== undefined) fields['user_agent.original'] = userAgent;
  const clientIp = request.socket.remoteAddress;
  if (clientIp !== undefined) fields['client.ip'] = clientIp;
  if (request.actor !== undefined) fields['user.id'] = request.actor.userId;
  const orderId = orderIdOf(request, response);
  if (orderId !== undefined) fields['ordertrack.order.id'] = orderId;
  return fields;
}
