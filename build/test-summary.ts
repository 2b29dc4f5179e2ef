import { existsSync, readFileSync } from 'node:fs';

/** Counts from vitest's JSON reporter files, summed over the projects that ran. */
export interface Tally {
  passed: number;
  failed: number;
  skipped: number;
}

interface VitestJson {
  numPassedTests?: number;
  numFailedTests?: number;
  numPendingTests?: number;
  numTodoTests?: number;
  testResults?: { status?: string; assertionResults?: { status?: string }[] }[];
}

export function tallyVitestJson(report: VitestJson): Tally {
  // A file that fails to load has no failing test in it, yet the run failed: count it as one failure
  // so the summary never reads "0 failed" for a red run.
  const brokenFiles = (report.testResults ?? []).filter(
    (file) => file.status === 'failed' && !(file.assertionResults ?? []).some((test) => test.status === 'failed'),
  ).length;
  return {
    passed: report.numPassedTests ?? 0,
    failed: (report.numFailedTests ?? 0) + brokenFiles,
    skipped: (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0),
  };
}

export function readTally(file: string): Tally | null {
  if (!existsSync(file)) return null;
  return tallyVitestJson(JSON.parse(readFileSync(file, 'utf8')) as VitestJson);
}

export function addTallies(tallies: readonly Tally[]): Tally {
  return tallies.reduce((sum, t) => ({ passed: sum.passed + t.passed, failed: sum.failed + t.failed, skipped: sum.skipped + t.skipped }), { passed: 0, failed: 0, skipped: 0 });
}

export function summaryLine(tally: Tally): string {
  return `${tally.passed} passed, ${tally.failed} failed, ${tally.skipped} skipped`;
}
