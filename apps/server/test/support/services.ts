import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * The script that runs the shared Kafka and Elasticsearch (see services/README.md). Several checkouts (git worktrees)
 * share one set of services, so point KAFKA_SERVICES_SCRIPT at the checkout whose `.services` holds them.
 */
const SERVICES_SCRIPT =
  process.env['KAFKA_SERVICES_SCRIPT'] ?? fileURLToPath(new URL('../../../../services/services.mjs', import.meta.url));

/**
 * Stops or starts one shared service without blocking the event loop, so load running in the same test keeps going
 * while the service is down; `start` resolves once the service answers.
 */
export function controlService(service: 'kafka' | 'elasticsearch', action: 'start' | 'stop'): Promise<void> {
  return runServicesScript(action, service, process.env);
}

/** Runs `services.mjs <action> <service>` with this environment (e.g. SERVICES_DIR and ports of a private broker). */
export function runServicesScript(
  action: 'start' | 'stop',
  service: 'kafka' | 'elasticsearch',
  env: NodeJS.ProcessEnv,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [SERVICES_SCRIPT, action, service], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`services.mjs ${action} ${service} failed (${code ?? ''}):\n${output}`)),
    );
  });
}
