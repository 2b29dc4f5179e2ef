import { rmSync } from 'node:fs';
import type { TestProject } from 'vitest/node';
import { buildTemplates, dropTemplates, type DatabaseTemplates } from './templates.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Migrated databases every test server starts from (see templates.ts); null when they could not be built. */
    balcaoTemplates: DatabaseTemplates | null;
  }
}

/**
 * The server project's global setup: builds the database templates once per run, before any test
 * file, and drops them after the last. If building fails, each server builds its own database as
 * before (slower, same result) and the reason is printed.
 */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let templates: DatabaseTemplates | null = null;
  try {
    templates = await buildTemplates();
  } catch (error) {
    console.warn(`[server tests] no database templates, each server migrates its own database: ${(error as Error).message}`);
  }
  project.provide('balcaoTemplates', templates);
  // An interrupted run (Ctrl-C) skips the teardown: at least free the PGlite folders, which live in RAM.
  const root = templates?.root;
  const freeFolders = () => root && rmSync(root, { recursive: true, force: true });
  process.once('exit', freeFolders);
  return async () => {
    process.off('exit', freeFolders);
    if (templates) await dropTemplates(templates);
  };
}
