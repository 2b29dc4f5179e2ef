import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { buildPgliteTemplates, scratchRoot } from '../../server/support/templates.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A PGlite data folder, migrated and with the demo data, that each CentralServer copies on its first start; null when it could not be built. */
    balcaoE2eDemoDataDir: string | null;
  }
}

/**
 * The e2e project's global setup: one migrated, seeded PGlite folder per run, so a central server's
 * first start copies it instead of running initdb, the migrations and the demo seed (several seconds
 * per file). Without it (build failed) each server builds its own, as before.
 */
export default async function setup(project: TestProject): Promise<() => void> {
  const root = mkdtempSync(join(scratchRoot(), 'balcao-e2e-templates-'));
  let demo: string | null = null;
  try {
    demo = (await buildPgliteTemplates(root, ['demo'])).demo ?? null;
  } catch (error) {
    console.warn(`[e2e] no PGlite template, each central server seeds its own: ${(error as Error).message}`);
  }
  project.provide('balcaoE2eDemoDataDir', demo);
  // An interrupted run (Ctrl-C) skips the teardown: still free the folder, which lives in RAM.
  const free = () => rmSync(root, { recursive: true, force: true });
  process.once('exit', free);
  return () => {
    process.off('exit', free);
    free();
  };
}
