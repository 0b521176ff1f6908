import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The API server the dev server forwards to; the built app is served by that server itself (same origin). */
const apiTarget = process.env['ORDERTRACK_API_URL'] ?? 'http://127.0.0.1:3000';

/** Every path the API owns; the SPA's own routes (/sign-in, /customer, /admin...) never start with one. */
const API_PREFIXES = ['/auth', '/orders', '/search', '/catalog', '/health', '/docs'] as const;

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 700 },
  server: {
    proxy: {
      ...Object.fromEntries(API_PREFIXES.map((prefix) => [prefix, { target: apiTarget, changeOrigin: true }])),
      '/socket.io': { target: apiTarget, ws: true, changeOrigin: true },
    },
  },
});
