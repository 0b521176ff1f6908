import { fileURLToPath } from 'node:url';

/** The committed OpenAPI document (`npm run openapi` rewrites it); a test fails when the app drifts from it. */
export const OPENAPI_FILE = fileURLToPath(new URL('../../openapi.json', import.meta.url));

export function serializeOpenApi(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
