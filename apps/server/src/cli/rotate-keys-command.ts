import { openDatabase } from '../app.factory.js';
import { reencryptUsers, type ReencryptionProgress } from '../adapters/db/user-reencryption.js';
import { resolvePersonalDataProtection } from '../adapters/security/personal-data-keys.js';
import { ConfigError, loadConfig } from '../config/app-config.js';

export const ROTATE_KEYS_USAGE = `usage: npm run rotate-keys -- [--page-size=N]
  Re-encrypts every user's name and email with the first key of DATA_ENCRYPTION_KEYS and re-indexes every email
  under EMAIL_INDEX_KEY, with the server's environment (DATABASE_URL or DATA_DIR and the key variables). Rows already
  on the current keys are skipped, so the command can be run again at any time, e.g. after an interruption.
  --page-size=N  users per transaction (default 500)`;

function parseArgs(args: readonly string[]): { pageSize: number } {
  const options = { pageSize: 500 };
  for (const arg of args) {
    const pageSize = /^--page-size=(\d+)$/.exec(arg)?.[1];
    if (pageSize !== undefined && Number(pageSize) >= 1 && Number(pageSize) <= 10_000) {
      options.pageSize = Number(pageSize);
    } else throw new ConfigError(`unknown or invalid argument ${arg}\n${ROTATE_KEYS_USAGE}`);
  }
  return options;
}

export function formatProgress({ done, total }: ReencryptionProgress): string {
  const percent = total > 0 ? ((100 * done) / total).toFixed(1) : '100.0';
  return `rotate-keys: ${done}/${total} users (${percent}%)`;
}

/** The `rotate-keys` command; `print` receives each progress line. Resolves with the final progress. */
export async function runRotateKeys(
  env: Record<string, string | undefined>,
  args: readonly string[],
  print: (line: string) => void,
): Promise<ReencryptionProgress> {
  const { pageSize } = parseArgs(args);
  const config = loadConfig(env);
  const protection = await resolvePersonalDataProtection(config);
  const database = await openDatabase(config);
  try {
    print(
      `rotate-keys: re-encrypting users not on data key "${protection.cipher.currentKeyId}" ` +
        `and email index key "${protection.emailIndex.currentKeyId}"`,
    );
    const result = await reencryptUsers(database.db, protection, {
      pageSize,
      onProgress: (progress) => print(formatProgress(progress)),
    });
    print(`rotate-keys: done, ${result.done} users rewritten in ${(result.elapsedMs / 1000).toFixed(1)} s`);
    return result;
  } finally {
    await database.close();
  }
}
