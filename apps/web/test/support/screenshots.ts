import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const RESULTS_DIR = join(REPO_ROOT, 'test-results/screenshots');
const DOCS_DIR = join(REPO_ROOT, 'docs/screenshots');

const saved: string[] = [];

/** Full-page PNG into test-results/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = `${name}.png`;
  await page.screenshot({ path: join(RESULTS_DIR, file), fullPage: true, animations: 'disabled' });
  saved.push(file);
}

/** Copies this run's screenshots to docs/screenshots/ for the README. */
export async function publishScreenshots(): Promise<void> {
  await mkdir(DOCS_DIR, { recursive: true });
  await Promise.all(saved.map((file) => copyFile(join(RESULTS_DIR, file), join(DOCS_DIR, file))));
}
