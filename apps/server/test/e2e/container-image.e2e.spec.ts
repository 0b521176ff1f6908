import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/app-process.js';
import {
  copyBuildContext,
  parseDockerfile,
  parseDockerignore,
  runStages,
} from '../support/dockerfile-without-docker.js';
import { waitFor } from '../support/wait-for.js';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));

/**
 * The image `docker compose up --build` makes, built the way Docker would from this working tree, which in CI has
 * just been built: build outputs lying in the tree must not reach the image's own build (they once did, and its
 * `tsc -b` then believed everything up to date and emitted nothing).
 */
describe('the container image, its Dockerfile run without Docker', () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'ordertrack-image-'));
  let server: ChildProcess | undefined;

  afterAll(async () => {
    if (server !== undefined && server.exitCode === null) {
      const exited = new Promise((resolve) => server?.once('exit', resolve));
      server.kill('SIGKILL');
      await exited;
    }
    rmSync(scratch, { recursive: true, force: true });
  });

  it('builds from the context Docker would send, and its command serves the API and the dashboards', async () => {
    // The image's user must be able to reach its files, as under Docker's root directory.
    chmodSync(scratch, 0o755);
    const context = path.join(scratch, 'context');
    copyBuildContext(
      REPO_ROOT,
      context,
      parseDockerignore(readFileSync(path.join(REPO_ROOT, '.dockerignore'), 'utf8')),
    );
    const stages = parseDockerfile(readFileSync(path.join(REPO_ROOT, 'Dockerfile'), 'utf8'));
    const started = Date.now();
    const image = await runStages(stages, context, path.join(scratch, 'image'), (line) =>
      console.log(`[image ${((Date.now() - started) / 1000).toFixed(1)}s] ${line}`),
    );

    const [program, ...args] = image.command;
    expect(program).toBeDefined();
    expect(image.user, 'the image runs as a user of its own, not root').toBeDefined();
    const port = await freePort();
    let output = '';
    // Started as `docker run` would, with no setting but where to listen: the embedded defaults, DATA_DIR included.
    server = spawn(program ?? '', args, {
      cwd: image.cwd,
      env: { ...image.env, PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
      ...image.user,
    });
    server.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    server.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const base = `http://127.0.0.1:${port}`;
    const health = await waitFor(
      'the image command to answer /health',
      async () => {
        if (server?.exitCode !== null) throw new Error(`it exited with ${server?.exitCode}:\n${output}`);
        const response = await fetch(`${base}/health`).catch(() => undefined);
        return response?.status === 200 ? ((await response.json()) as { ready: boolean }) : undefined;
      },
      60_000,
    );
    expect(health.ready).toBe(true);

    const page = await fetch(`${base}/`, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<title>OrderTrack</title>');
    const script = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(script, 'the built page loads its bundle from /assets').toBeDefined();
    const bundle = await fetch(`${base}${script ?? ''}`);
    expect(bundle.status).toBe(200);
    expect(bundle.headers.get('content-type')).toMatch(/javascript/);
  }, 600_000);
});
