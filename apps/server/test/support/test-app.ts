import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { createApp } from '../../src/app.factory.js';
import { loadConfig } from '../../src/config/app-config.js';
import { TEST_PERSONAL_DATA_ENV } from './personal-data.js';
import { createFreshDatabase, type FreshDatabase } from './postgres-databases.js';

export type DatabaseMode = 'pglite' | 'postgres';
export const DATABASE_MODES: DatabaseMode[] = ['pglite', 'postgres'];

export const ADMIN_EMAIL = 'admin@example.com';
export const ADMIN_PASSWORD = 'admin-password-1';
export const TEST_JWT_SECRET = 'test-secret-that-is-long-enough-for-hs256-0123456789';

export interface TestApp {
  app: INestApplication;
  baseUrl: string;
  close(): Promise<void>;
}

/** Starts the real application in-process on a random port, on a throwaway PGlite dir or PostgreSQL database. */
export async function startTestApp(mode: DatabaseMode, env: Record<string, string> = {}): Promise<TestApp> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'ordertrack-test-'));
  // A caller that passes DATABASE_URL shares that database (several instances); otherwise each app gets its own.
  const database: FreshDatabase | undefined =
    mode === 'postgres' && env['DATABASE_URL'] === undefined ? await createFreshDatabase() : undefined;
  const config = loadConfig({
    DATA_DIR: dataDir,
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
    BOOTSTRAP_ADMIN_EMAIL: ADMIN_EMAIL,
    BOOTSTRAP_ADMIN_PASSWORD: ADMIN_PASSWORD,
    OUTBOX_POLL_INTERVAL_MS: '200',
    ...(mode === 'postgres' ? { JWT_SECRET: TEST_JWT_SECRET, ...TEST_PERSONAL_DATA_ENV } : {}),
    ...(database === undefined ? {} : { DATABASE_URL: database.url }),
    ...env,
  });
  const app = await createApp(config);
  await app.listen(0, '127.0.0.1');
  const baseUrl = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    app,
    baseUrl,
    async close() {
      await app.close();
      await database?.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
