import type { INestApplication } from '@nestjs/common';
import { Logger } from 'nestjs-pino';
import { httpMetricsMiddleware } from './http-metrics.middleware.js';
import { AppMetrics } from './metrics.js';

/** Routes Nest's own logger (every `new Logger(...)`) to pino and measures every HTTP request. */
export function installObservability(app: INestApplication): void {
  app.useLogger(app.get(Logger));
  app.use(httpMetricsMiddleware(app.get(AppMetrics)));
}
