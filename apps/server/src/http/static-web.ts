import type { INestApplication } from '@nestjs/common';
import express, { type NextFunction, type Request, type Response } from 'express';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Paths the API owns; the web app never shadows them, whatever files its build holds. */
const API_PREFIXES = [
  '/auth',
  '/orders',
  '/search',
  '/catalog',
  '/health',
  '/metrics',
  '/audit',
  '/docs',
  '/docs-json',
  '/socket.io',
] as const;

/** `apps/web/dist`, seen from `apps/server/dist/http/`. */
const DEFAULT_WEB_DIST = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

const isApiPath = (path: string): boolean =>
  API_PREFIXES.some((prefix) => path === prefix || path.startsWith(`${prefix}/`));

/**
 * Serves the built dashboards (`apps/web/dist`) at `/` when they exist: hashed assets with long caching, and
 * `index.html` for any other GET that asks for HTML (client-side routes such as /customer or /admin/search).
 * Returns whether the web app was found.
 */
export function installStaticWeb(app: INestApplication, webDist: string = DEFAULT_WEB_DIST): boolean {
  const indexHtml = join(webDist, 'index.html');
  if (!existsSync(indexHtml)) return false;
  const assets = express.static(webDist, {
    index: false,
    setHeaders: (response, filePath) => {
      const hashed = filePath.includes(join(webDist, 'assets'));
      response.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  app.use((request: Request, response: Response, next: NextFunction) => {
    if ((request.method !== 'GET' && request.method !== 'HEAD') || isApiPath(request.path)) {
      next();
      return;
    }
    assets(request, response, () => {
      if (!(request.headers.accept ?? '').includes('text/html')) {
        next();
        return;
      }
      response.setHeader('Cache-Control', 'no-cache');
      response.sendFile(indexHtml);
    });
  });
  return true;
}
