import { randomBytes } from 'node:crypto';
import type { AppConfig } from '../../config/app-config.js';
import { readOrCreateSecret } from './data-dir-secret.js';

/** JWT_SECRET when given; otherwise (embedded mode only) a random secret made once and kept in the data dir. */
export async function resolveJwtSecret(config: AppConfig): Promise<string> {
  if (config.env.JWT_SECRET !== undefined) return config.env.JWT_SECRET;
  return readOrCreateSecret(config.env.DATA_DIR, 'jwt-secret', () => randomBytes(48).toString('base64url'));
}
