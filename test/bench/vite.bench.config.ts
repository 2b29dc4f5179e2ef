import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

/** Production build (no RxDB dev-mode, minified), like the shipped renderer, into dist/bench. */
export default defineConfig({
  root: fileURLToPath(new URL('./page/', import.meta.url)),
  base: './',
  mode: 'production',
  logLevel: 'warn',
  build: {
    outDir: fileURLToPath(new URL('../../dist/bench/', import.meta.url)),
    emptyOutDir: true,
    target: 'es2022',
    chunkSizeWarningLimit: 4000,
    // Readable names and module regions in CPU profiles (BENCH_PROFILE=1); speed is the same.
    minify: false,
  },
});
