import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

describe('folder layering lint rule', () => {
  it('refuses an import that points up the folder table (sync/client → sync/server)', async () => {
    const eslint = new ESLint();
    const [result] = await eslint.lintText("import { x } from '../server/node/main.ts';\nexport const y = x;\n", {
      filePath: 'sync/client/example.ts',
    });
    expect(result?.messages.some((m) => m.ruleId === 'import-x/no-restricted-paths')).toBe(true);
  });

  it('accepts an import that points down', async () => {
    const eslint = new ESLint();
    const [result] = await eslint.lintText("import { COLLECTIONS } from '../schema/index.ts';\nexport const y = COLLECTIONS;\n", {
      filePath: 'sync/client/example.ts',
    });
    expect(result?.messages.filter((m) => m.ruleId === 'import-x/no-restricted-paths')).toEqual([]);
  });
});
