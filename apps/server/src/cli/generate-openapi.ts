import 'reflect-metadata';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { createApp } from '../app.factory.js';
import { loadConfig } from '../config/app-config.js';
import { OPENAPI_FILE, serializeApiDocument } from '../http/openapi-file.js';
import { buildOpenApiDocument } from '../http/openapi.js';

async function main(): Promise<void> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ordertrack-openapi-'));
  try {
    const app = await createApp(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'error', RELAY_ENABLED: 'false' }));
    await app.init();
    await writeFile(OPENAPI_FILE, serializeApiDocument(buildOpenApiDocument(app)));
    await app.close();
    console.log(`wrote ${OPENAPI_FILE}`);
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}

await main();
