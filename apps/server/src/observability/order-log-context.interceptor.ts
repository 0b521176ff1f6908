import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { tap } from 'rxjs';
import {
  CREATED_ORDER_ID,
  type LoggableRequest,
  type ResponseWithOrderId,
  routeTemplateOf,
} from './logging/ecs-http-fields.js';

/**
 * A new order's id exists only in the response body; this hands it to the access log. Other order routes name
 * the order in their path, which the access log reads itself.
 */
@Injectable()
export class OrderLogContextInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    if (context.getType() !== 'http') return next.handle();
    const http = context.switchToHttp();
    const request = http.getRequest<LoggableRequest>();
    if (request.method !== 'POST' || routeTemplateOf(request) !== '/orders') return next.handle();
    const response = http.getResponse<ResponseWithOrderId>();
    return next.handle().pipe(
      tap((body: unknown) => {
        const id = (body as { id?: unknown } | undefined)?.id;
        if (typeof id === 'string') response[CREATED_ORDER_ID] = id;
      }),
    );
  }
}
