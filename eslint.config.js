// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import { importX } from 'eslint-plugin-import-x';

/**
 * The folder table of ARCHITECTURE.md as a lint rule. Each zone says: files in `target` must not
 * import from `from`. Arrows only point down: schema ← rules ← client / server ← renderer; the
 * Electron shell shares nothing with the renderer but the bridge's type declarations.
 */
const layers = {
  schema: './sync/schema',
  rules: './sync/rules',
  client: './sync/client',
  server: './sync/server',
  renderer: './renderer',
  electron: './electron',
  build: './build',
  test: './test',
};
const message = 'Breaks the folder dependency order of ARCHITECTURE.md.';
const forbid = (target, froms, except) => froms.map((from) => ({ target: layers[target], from: layers[from], message, ...(except ? { except } : {}) }));
const zones = [
  ...forbid('schema', ['rules', 'client', 'server', 'renderer', 'electron', 'build', 'test']),
  ...forbid('rules', ['client', 'server', 'renderer', 'electron', 'build', 'test']),
  ...forbid('client', ['server', 'renderer', 'electron', 'build', 'test']),
  ...forbid('server', ['client', 'renderer', 'electron', 'build', 'test']),
  ...forbid('renderer', ['server', 'electron', 'build', 'test']),
  ...forbid('electron', ['schema', 'rules', 'client', 'server', 'build', 'test']),
  { target: layers.electron, from: layers.renderer, except: ['./bridge/types.ts'], message },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.data/**', 'test-results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    plugins: { 'import-x': importX },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'import-x/no-restricted-paths': ['error', { zones }],
    },
  },
);
