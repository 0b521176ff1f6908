import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockDataDir } from './data-dir-lock.js';

describe('embedded data dir lock', () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ordertrack-lock-'));
  });

  afterEach(() => rm(dir, { recursive: true, force: true }));

  it('refuses a data dir held by another live process', async () => {
    // pid 1 always exists: it stands for another running instance.
    await writeFile(path.join(dir, 'pgdata.lock'), '1');
    await expect(lockDataDir(dir)).rejects.toThrow(/in use by process 1/);
  });

  it('takes over a lock left by a process that died', async () => {
    await writeFile(path.join(dir, 'pgdata.lock'), '999999999');
    const unlock = await lockDataDir(dir);
    expect(await readFile(path.join(dir, 'pgdata.lock'), 'utf8')).toBe(String(process.pid));
    await unlock();
    await expect(readFile(path.join(dir, 'pgdata.lock'), 'utf8')).rejects.toThrow();
  });
});
