import { fileURLToPath } from 'node:url';
import { defineConfig, mergeConfig } from 'vite';
import bench from '../vite.bench.config.ts';

/** The main bench page's production build settings, for the spreadsheet page, into dist/bench-sheets. */
export default mergeConfig(bench, defineConfig({
  root: fileURLToPath(new URL('./page/', import.meta.url)),
  build: { outDir: fileURLToPath(new URL('../../../dist/bench-sheets/', import.meta.url)) },
}));
