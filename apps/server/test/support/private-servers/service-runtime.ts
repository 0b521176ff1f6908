import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const SERVICES_SCRIPT = fileURLToPath(new URL('../../../../../services/services.mjs', import.meta.url));

/** What `services.mjs runtime` reports: enough to run a Kafka broker or Elasticsearch node of our own. */
export interface ServiceRuntime {
  javaHome: string;
  kafkaClasspath: string;
  elasticsearchHome: string;
  /** The command prefix Elasticsearch runs under (a user namespace when we are root; it refuses root). */
  elasticsearchPrefix: string[];
}

/**
 * Asks services.mjs where the jars and the Elasticsearch distribution the shared services run from are, so private
 * servers reuse them. A worktree that points KAFKA_SERVICES_SCRIPT at another checkout (see services.ts) uses that
 * checkout's `.services` too, unless SERVICES_DIR says otherwise.
 */
export async function serviceRuntime(): Promise<ServiceRuntime> {
  const shared = process.env['KAFKA_SERVICES_SCRIPT'];
  const servicesDir =
    process.env['SERVICES_DIR'] ??
    (shared === undefined ? undefined : path.join(path.dirname(shared), '..', '.services'));
  const { stdout } = await promisify(execFile)(process.execPath, [SERVICES_SCRIPT, 'runtime'], {
    env: { ...process.env, ...(servicesDir === undefined ? {} : { SERVICES_DIR: servicesDir }) },
    maxBuffer: 16 * 1024 * 1024,
  });
  const lastLine = stdout.trim().split('\n').at(-1) ?? '';
  return JSON.parse(lastLine) as ServiceRuntime;
}
