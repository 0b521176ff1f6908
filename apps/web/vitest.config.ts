import { defineConfig } from 'vitest/config';

/**
 * The web app's own Vitest setup until the root config gains a `browser` project:
 * `web-unit` runs the pure client logic, `browser` drives the built app in Debian's Chromium.
 */
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'web-unit',
          root: import.meta.dirname,
          include: ['src/**/*.spec.ts'],
          environment: 'node',
        },
      },
      {
        test: {
          name: 'browser',
          root: import.meta.dirname,
          include: ['test/**/*.browser.spec.ts'],
          environment: 'node',
          testTimeout: 120_000,
          hookTimeout: 150_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
