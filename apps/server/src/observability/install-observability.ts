import type { INestApplication } from '@nestjs/common';
import { httpMetricsMiddleware } from './http-metrics.middleware.js';
import { accessLogMiddleware } from './logging/access-log.middleware.js';
import { NestPinoLogger } from './logging/nest-pino-logger.js';
import { RequestLogContext } from './logging/request-log-context.js';
import { AppMetrics } from './metrics.js';

/** Routes Nest's own logger (every `new Logger(...)`) to pino, and logs and measures every HTTP request. */
export function installObservability(app: INestApplication): void {
  app.useLogger(app.get(NestPinoLogger));
  app.use(accessLogMiddleware(app.get(RequestLogContext)));
  app.use(httpMetricsMiddleware(app.get(AppMetrics)));
}
