import { AppInstance } from '../support/app-instance.js';
import type { RunResources } from '../support/run-resources.js';
import { embeddedModeEnv } from './embedded-mode.js';
import { fullModeEnv, fullModeRedisEnv } from './full-mode.js';

/**
 * One mode's app as `npm run bench` starts it, for the tools that run one phase alone (bench:push, bench:orders);
 * full mode on a fresh database, whose URL comes back with it. `overrides` are the settings being compared.
 */
export async function startModeApp(
  full: boolean,
  resources: RunResources,
  overrides: Record<string, string>,
): Promise<{ app: AppInstance; databaseUrl: string | undefined }> {
  const databaseUrl = full ? await resources.createDatabase(resources.appDatabase, false) : undefined;
  const env =
    databaseUrl === undefined
      ? await embeddedModeEnv(resources)
      : { ...fullModeEnv(resources, databaseUrl), ...fullModeRedisEnv(resources) };
  return { app: await AppInstance.start({ ...env, ...overrides }), databaseUrl };
}
