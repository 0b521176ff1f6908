import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

// The dependency-audit step of `npm test` (scripts/npm-audit.mjs); here because the int tier collects apps/*/test.
const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const SCRIPT = fileURLToPath(new URL('../../../../scripts/npm-audit.mjs', import.meta.url));

type Advisories = Record<string, object[]>;

/**
 * A stand-in for the registry's audit endpoint: answers the bulk advisory request with `advisories` (or `status`),
 * and package documents with one version, which npm reads to suggest fixes.
 */
function fakeRegistry(answer: { advisories: Advisories } | { status: number }): Promise<Server> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      if (request.method === 'GET') {
        const name = decodeURIComponent((request.url ?? '/').slice(1));
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify({ name, 'dist-tags': { latest: '1.0.0' }, versions: {} }));
      } else if ('status' in answer) {
        response.writeHead(answer.status).end();
      } else {
        response.setHeader('content-type', 'application/json');
        response.end(JSON.stringify(answer.advisories));
      }
    });
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** Runs the step against `registry`, with an empty npm cache: npm caches audit answers. */
async function audit(registry: string): Promise<{ code: number; output: string }> {
  const cache = await mkdtemp(path.join(os.tmpdir(), 'ordertrack-npm-cache-'));
  try {
    return await new Promise((resolve) => {
      execFile(
        process.execPath,
        [SCRIPT],
        {
          cwd: REPO_ROOT,
          env: { ...process.env, npm_config_registry: registry, npm_config_cache: cache },
          timeout: 120_000,
        },
        (error, stdout, stderr) => resolve({ code: error === null ? 0 : Number(error.code), output: stdout + stderr }),
      );
    });
  } finally {
    await rm(cache, { recursive: true, force: true });
  }
}

const advisory = (severity: 'moderate' | 'high' | 'critical') => ({
  zod: [
    {
      id: 1,
      url: 'https://example.com/advisory/1',
      title: `a ${severity} test advisory`,
      severity,
      vulnerable_versions: '>=0.0.0',
      cwe: [],
      cvss: { score: 7.5, vectorString: null },
    },
  ],
});

describe('npm audit step', () => {
  let server: Server | undefined;
  const url = () => `http://127.0.0.1:${(server?.address() as AddressInfo).port}/`;

  afterEach(async () => {
    await new Promise((resolve) => server?.close(resolve));
  });

  it('passes when no advisory applies, and below the high level', async () => {
    server = await fakeRegistry({ advisories: {} });
    expect(await audit(url())).toMatchObject({ code: 0, output: expect.stringContaining('0 critical, 0 high') });
    server.close();
    server = await fakeRegistry({ advisories: advisory('moderate') });
    expect(await audit(url())).toMatchObject({ code: 0, output: expect.stringContaining('1 moderate') });
  });

  it.each(['high', 'critical'] as const)('fails on a %s advisory and lists it', async (severity) => {
    server = await fakeRegistry({ advisories: advisory(severity) });
    const { code, output } = await audit(url());
    expect(code).toBe(1);
    expect(output).toContain(`a ${severity} test advisory`);
  });

  it('says the dependencies were not audited (exit 2) when the audit endpoint does not answer', async () => {
    server = await fakeRegistry({ status: 405 });
    const { code, output } = await audit(url());
    expect(code).toBe(2);
    expect(output).toContain('npm audit could not get advisories from the registry');
    expect(output).toContain('The dependencies were NOT audited');
  });
});
