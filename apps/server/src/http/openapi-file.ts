import { fileURLToPath } from 'node:url';

/** The committed OpenAPI document (`npm run openapi` rewrites it); a test fails when the app drifts from it. */
export const OPENAPI_FILE = fileURLToPath(new URL('../../openapi.json', import.meta.url));

/** How both committed API documents (OpenAPI here, AsyncAPI in `asyncapi/`) are written. */
export function serializeApiDocument(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}
