import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vite';
import bench from '../vite.bench.config.ts';

/** The main bench page's production build settings, for the POS page, into dist/bench-pos. */
export default mergeConfig(bench, defineConfig({
  root: fileURLToPath(new URL('./page/', import.meta.url)),
  build: { outDir: fileURLToPath(new URL('../../../dist/bench-pos/', import.meta.url)) },
}));
