import type { NextFunction, Request, Response } from 'express';
import { routeTemplateOf, type LoggableRequest } from './logging/ecs-http-fields.js';
import type { AppMetrics } from './metrics.js';

/** Requests no route matched (static files of the web app, 404s): one label value, never the raw path. */
export const UNMATCHED_ROUTE = 'unmatched';

/** Counts and times every HTTP request under its route template (known once routing has run, at the end). */
export function httpMetricsMiddleware(metrics: AppMetrics) {
  return (request: Request, response: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    response.once('finish', () => {
      const labels = {
        method: request.method,
        route: routeTemplateOf(request as LoggableRequest) ?? UNMATCHED_ROUTE,
        status: String(response.statusCode),
      };
      metrics.httpRequests.inc(labels);
      metrics.httpRequestDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}
