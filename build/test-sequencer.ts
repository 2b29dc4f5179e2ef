import { relative } from 'node:path';
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/**
 * The order vitest starts the test files of a project in: the files known to take longest first, then
 * the rest as vitest orders them (by the durations it cached on an earlier run, else larger files first).
 *
 * Why: a run ends when its last file ends. On a clean clone vitest has no cached durations and starts
 * the larger files first, so a short file that takes long (the chaos round: 62 s of waiting on restarts
 * and backoff) started last and ran alone for its last tens of seconds. Starting the long ones first lets
 * the short files fill both workers at the end instead.
 *
 * The list holds root-relative paths; a file missing from it (new, renamed) simply runs in vitest's
 * order. Durations come from `npm test` on 121b45e (test-results/server.json, after test servers stopped compiling
 * their schemas and hashing at 2^17 on every start), seconds.
 */
export const SLOW_FIRST: readonly string[] = [
  // server (two files at a time). The e2e project needs no entry: on a clean clone vitest already starts
  // its long files early (larger files first) and its last minute is short files on both workers.
  'test/server/chaos.test.ts', // 78
  'test/server/sync-client.test.ts', // 60
  'test/server/webhooks-crash.test.ts', // 47
  'test/server/auth-hardening.test.ts', // 29
  'test/server/sync-client-pull-lane.test.ts', // 20
  'test/server/design-flow.test.ts', // 19
  'test/server/sync-client-stale.test.ts', // 15
  'test/server/sync-client-pull-stream.test.ts', // 15
  'test/server/sequence-visibility.test.ts', // 14
  'test/server/hostile-inputs.test.ts', // 14
  'test/server/sync-client-epoch.test.ts', // 13
  'test/server/design-portal.test.ts', // 12
  'test/server/sync-client-order.test.ts', // 11
];

/** Vitest's sequencer with SLOW_FIRST's files moved to the front, in SLOW_FIRST's order. */
export class SlowFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (spec: TestSpecification) => {
      const index = SLOW_FIRST.indexOf(relative(spec.project.config.root, spec.moduleId).replaceAll('\\', '/'));
      return index === -1 ? SLOW_FIRST.length : index;
    };
    // Projects keep vitest's order (one after the other); within each, Array.prototype.sort is stable:
    // files outside the list keep vitest's order.
    const projects = [...new Set(sorted.map((spec) => spec.project))];
    return projects.flatMap((project) => sorted.filter((spec) => spec.project === project).sort((a, b) => rank(a) - rank(b)));
  }
}
