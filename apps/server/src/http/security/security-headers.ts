import type { INestApplication } from '@nestjs/common';
import helmet from 'helmet';

/**
 * Standard security headers on every response, and CORS only for the configured origins (none by default:
 * the dashboards are served from the same origin as the API).
 */
export function installSecurityHeaders(app: INestApplication, corsOrigins: readonly string[]): void {
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          connectSrc: ["'self'", 'ws:', 'wss:'],
          imgSrc: ["'self'", 'data:'],
          styleSrc: ["'self'", "'unsafe-inline'"],
          scriptSrc: ["'self'"],
          // Plain-HTTP deployments (behind a TLS-terminating proxy or on localhost) must not have requests rewritten.
          upgradeInsecureRequests: null,
        },
      },
    }),
  );
  if (corsOrigins.length > 0) {
    app.enableCors({ origin: [...corsOrigins], credentials: false, maxAge: 600 });
  }
}
