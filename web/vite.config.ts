import { fileURLToPath, URL } from 'node:url';
import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

// The dev server forwards API calls to a local `xiaoan serve` (default port 8080,
// override with XIAOAN_API).
const api_target = process.env.XIAOAN_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [vue()],
  resolve: {
    alias: { '@': fileURLToPath(new URL('./src', import.meta.url)) },
  },
  server: {
    proxy: { '/api': { target: api_target, changeOrigin: false, ws: true } },
  },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
  },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.spec.ts'],
    setupFiles: ['src/testing/setup.ts'],
    // Through Vite, so that element-plus gets async-validator's ESM build as the
    // browser does (Node's CJS interop hands it a namespace object, and every
    // form then validates as true).
    server: { deps: { inline: ['element-plus'] } },
    restoreMocks: true,
    // The first navigation compiles its lazy page (with Element Plus) on the fly.
    testTimeout: 30_000,
    unstubGlobals: true,
  },
});
