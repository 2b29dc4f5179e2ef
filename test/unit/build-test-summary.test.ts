import { mkdtempSync, rmSync, utimesSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isRendererStale } from '../../build/build-renderer.ts';
import { addTallies, summaryLine, tallyVitestJson } from '../../build/test-summary.ts';

describe('npm test summary line', () => {
  it('adds passed, failed and skipped (skipped + todo) over projects', () => {
    const unit = tallyVitestJson({ numPassedTests: 10, numFailedTests: 1, numPendingTests: 2, numTodoTests: 1, testResults: [] });
    const e2e = tallyVitestJson({ numPassedTests: 3, numFailedTests: 0, numPendingTests: 1 });
    expect(summaryLine(addTallies([unit, e2e]))).toBe('13 passed, 1 failed, 4 skipped');
  });

  it('counts a test file that failed to load as a failure', () => {
    const tally = tallyVitestJson({
      numPassedTests: 5,
      numFailedTests: 0,
      testResults: [
        { status: 'failed', assertionResults: [] },
        { status: 'passed', assertionResults: [{ status: 'passed' }] },
      ],
    });
    expect(tally).toEqual({ passed: 5, failed: 1, skipped: 0 });
  });

  it('reads an empty run as zeros', () => {
    expect(summaryLine(addTallies([]))).toBe('0 passed, 0 failed, 0 skipped');
  });
});

describe('renderer staleness (npm start rebuilds only when needed)', () => {
  it('is stale when missing or older than a source, fresh otherwise', () => {
    const root = mkdtempSync(join(tmpdir(), 'balcao-stale-'));
    try {
      const dist = join(root, 'dist', 'renderer');
      mkdirSync(join(root, 'renderer', 'ui'), { recursive: true });
      writeFileSync(join(root, 'renderer', 'ui', 'App.tsx'), 'x');
      expect(isRendererStale(root, dist)).toBe(true);

      mkdirSync(dist, { recursive: true });
      writeFileSync(join(dist, 'index.html'), '<html>');
      const past = new Date(Date.now() - 60_000);
      utimesSync(join(root, 'renderer', 'ui', 'App.tsx'), past, past);
      utimesSync(join(root, 'renderer', 'ui'), past, past);
      utimesSync(join(root, 'renderer'), past, past);
      expect(isRendererStale(root, dist)).toBe(false);

      writeFileSync(join(root, 'renderer', 'ui', 'App.tsx'), 'y');
      const future = new Date(Date.now() + 60_000);
      utimesSync(join(root, 'renderer', 'ui', 'App.tsx'), future, future);
      expect(isRendererStale(root, dist)).toBe(true);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
