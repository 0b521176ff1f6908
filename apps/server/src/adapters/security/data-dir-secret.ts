import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Embedded mode's secrets: made once by `generate` and kept in the data dir (mode 0600), so a restart reads the same
 * value. Two processes racing to create it both end up reading the one that was written first.
 */
export async function readOrCreateSecret(dataDir: string, file: string, generate: () => string): Promise<string> {
  const location = path.join(dataDir, file);
  try {
    return (await readFile(location, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  await mkdir(dataDir, { recursive: true });
  await writeFile(location, generate(), { mode: 0o600, flag: 'wx' }).catch((error: unknown) => {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  });
  return (await readFile(location, 'utf8')).trim();
}
