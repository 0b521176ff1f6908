import { fileURLToPath } from 'node:url';
import swc from 'unplugin-swc';
import { defineConfig } from 'vitest/config';

const sharedSource = fileURLToPath(new URL('./packages/shared/src/index.ts', import.meta.url));

/** Decorator metadata drives Nest's dependency injection, and only SWC emits it under vitest. */
const swcPlugin = swc.vite({
  jsc: {
    parser: { syntax: 'typescript', decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true },
    target: 'es2023',
  },
});

const common = {
  resolve: { alias: { '@ordertrack/shared': sharedSource } },
  plugins: [swcPlugin],
};

export default defineConfig({
  test: {
    projects: [
      {
        ...common,
        test: {
          name: 'unit',
          include: ['apps/*/src/**/*.unit.spec.ts', 'packages/*/src/**/*.unit.spec.ts', 'bench/src/**/*.unit.spec.ts'],
        },
      },
      {
        ...common,
        test: {
          name: 'int',
          include: ['apps/*/test/**/*.int.spec.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
        },
      },
      {
        ...common,
        test: {
          name: 'e2e',
          include: ['apps/*/test/**/*.e2e.spec.ts', 'bench/src/**/*.e2e.spec.ts'],
          testTimeout: 60_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
      {
        ...common,
        test: {
          // Drives the built server and web app in Debian's Chromium; run through `npm run test:browser`.
          name: 'browser',
          include: ['apps/web/test/**/*.browser.spec.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
