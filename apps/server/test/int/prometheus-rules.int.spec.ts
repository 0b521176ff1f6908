import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const RULES_DIR = fileURLToPath(new URL('../../../../deploy/prometheus/', import.meta.url));

/** Debian's promtool (scripts/test.mjs installs the `prometheus` package when it is missing). */
describe('Prometheus alert rules', () => {
  it('are valid rules', async () => {
    const { stdout } = await run('promtool', ['check', 'rules', 'alerts.yml'], { cwd: RULES_DIR });
    expect(stdout).toContain('SUCCESS');
  });

  it('fire and stay quiet exactly as their unit tests say', async () => {
    const { stdout } = await run('promtool', ['test', 'rules', 'alerts.test.yml'], { cwd: RULES_DIR });
    expect(stdout).toContain('SUCCESS');
  });

  it('are loaded by the shipped Prometheus configuration', async () => {
    const { stdout } = await run('promtool', ['check', 'config', 'prometheus.yml'], {
      cwd: RULES_DIR,
    });
    expect(stdout).toContain('SUCCESS');
    expect(stdout).toContain('alerts.yml');
  });
});
