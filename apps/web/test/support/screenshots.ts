import { copyFile, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';

const REPO_ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const RESULTS_DIR = join(REPO_ROOT, 'test-results/screenshots');
const DOCS_DIR = join(REPO_ROOT, 'docs/screenshots');

/** The screenshots of one run of the suite (one server mode), kept apart from the other modes' ones. */
export class Screenshots {
  private readonly saved: string[] = [];
  private readonly dir: string;

  constructor(run: string) {
    this.dir = join(RESULTS_DIR, run);
  }

  /** Full-page PNG into test-results/screenshots/<run>/<name>.png. */
  async take(page: Page, name: string): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const file = `${name}.png`;
    await page.screenshot({ path: join(this.dir, file), fullPage: true, animations: 'disabled' });
    this.saved.push(file);
  }

  /** Copies this run's screenshots to docs/screenshots/ for the README. */
  async publish(): Promise<void> {
    await mkdir(DOCS_DIR, { recursive: true });
    await Promise.all(this.saved.map((file) => copyFile(join(this.dir, file), join(DOCS_DIR, file))));
  }
}
