import type { NextFunction, Request, Response } from 'express';
import type { Level } from 'pino';
import { ecsAccessFields, type LoggableRequest, type ResponseWithOrderId } from './ecs-http-fields.js';
import { REQUEST_ID_FIELD, type RequestLogContext } from './request-log-context.js';
import { REQUEST_ID_HEADER, requestIdFrom } from './request-id.js';

/** Paths whose every request would drown the access log: Prometheus scrapes /metrics every few seconds. */
const UNLOGGED_PATHS = new Set(['/metrics']);

const levelFor = (statusCode: number): Level => (statusCode >= 500 ? 'error' : statusCode >= 400 ? 'warn' : 'info');

/**
 * Gives every request an id (kept from a plausible `x-request-id`, else new; returned in the same header), runs
 * the rest of the pipeline in its log context, and writes one access line when the response ends, built only
 * when LOG_LEVEL lets it through.
 */
export function accessLogMiddleware(context: RequestLogContext) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const requestId = requestIdFrom(request.headers[REQUEST_ID_HEADER]);
    response.setHeader(REQUEST_ID_HEADER, requestId);
    if (!UNLOGGED_PATHS.has(request.path)) {
      const started = performance.now();
      const finished = (): void => {
        response.off('finish', finished);
        response.off('close', finished);
        const level = levelFor(response.statusCode);
        if (!context.root.isLevelEnabled(level)) return;
        const fields = ecsAccessFields(
          request as LoggableRequest,
          response as ResponseWithOrderId,
          performance.now() - started,
        );
        const outcome = response.writableFinished ? '' : ' (connection closed before the response ended)';
        const failed = level === 'error' ? ' failed' : '';
        context.root[level](
          { [REQUEST_ID_FIELD]: requestId, ...fields },
          `${request.method} ${response.statusCode}${failed}${outcome}`,
        );
      };
      response.on('finish', finished);
      response.on('close', finished);
    }
    context.run(requestId, next);
  };
}
