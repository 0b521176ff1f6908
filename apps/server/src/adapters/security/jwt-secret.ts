import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AppConfig } from '../../config/app-config.js';

const SECRET_FILE = 'jwt-secret';

/** JWT_SECRET when given; otherwise (embedded mode only) a random secret made once and kept in the data dir. */
export async function resolveJwtSecret(config: AppConfig): Promise<string> {
  if (config.env.JWT_SECRET !== undefined) return config.env.JWT_SECRET;
  const file = path.join(config.env.DATA_DIR, SECRET_FILE);
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(config.env.DATA_DIR, { recursive: true });
  const secret = randomBytes(48).toString('base64url');
  await writeFile(file, secret, { mode: 0o600, flag: 'wx' }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  });
  return (await readFile(file, 'utf8')).trim();
}
