import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { API_SCOPES } from '../../sync/schema/index.ts';
import { junitReport, textReport, writeReports } from '../homologate/report.ts';
import { runHomologation, STEPS, type RunOptions, type RunResult } from '../homologate/runner.ts';
import { CONFORMING } from '../homologate/http.ts';
import { createKey } from './support/api-keys.ts';
import { testClock } from './support/test-clock.ts';
import { DATABASE_KINDS, startTestServer, type TestServer } from './support/servers.ts';

/**
 * Issue 13, API-07: the conformance script walks every integration step against a fresh server with
 * a key that has every scope and passes; a connector that breaks a convention fails at that step.
 * The server's rate-limit window is 10 s (not a minute) on a clock of the test's (support/test-clock.ts):
 * the window moves only when the connector waits out a Retry-After, so that wait costs no real time and
 * no window can end in the middle of the 429 step, however slow the machine. A key's budget of 100 per
 * window is more than the walk sends before that step (about 45 requests). Each test has its own key
 * (its own budget).
 */
const WINDOW_SECONDS = 10;
const KEY_LIMIT = 100;
const firstFailure = (result: RunResult) => result.steps.find((step) => !step.passed);

describe.each(DATABASE_KINDS)('homologation script on %s', (kind) => {
  let server: TestServer;
  const clock = testClock();
  const walk = (options: Omit<RunOptions, 'base' | 'wait'>) => runHomologation({ base: server.url, wait: clock.wait, ...options });
  beforeAll(async () => {
    server = await startTestServer(kind, { rateLimit: { windowSeconds: WINDOW_SECONDS, clock: clock.now } });
  });
  const newKey = async () => (await createKey(server, [...API_SCOPES], { name: 'Integrador em homologação', rateLimitPerMinute: KEY_LIMIT })).secret;
  afterAll(async () => {
    await server?.close();
  });

  it('API-07 the whole walk passes against a fresh server and writes the report, JUnit XML and JSON', { timeout: 120_000 }, async () => {
    const result = await walk({ key: await newKey() });
    expect(firstFailure(result), textReport(result)).toBeUndefined();
    expect(result.steps.map((step) => step.name)).toEqual(STEPS.map((step) => step.name));
    expect(result.passed).toBe(true);

    const folder = await mkdtemp(path.join(tmpdir(), 'homologation-'));
    try {
      const written = await writeReports(result, folder);
      const junit = await readFile(written.junit, 'utf8');
      expect(junit).toContain(`tests="${STEPS.length}" failures="0"`);
      expect(junit).toContain('name="webhook: signed delivery received, duplicate ignored"');
      expect(JSON.parse(await readFile(written.json, 'utf8'))).toMatchObject({ passed: true, steps: expect.any(Array) });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('API-07 a connector that re-posts without an Idempotency-Key fails at the idempotency step, with the request and the answer in the report', { timeout: 120_000 }, async () => {
    const result = await walk({ key: await newKey(), behaviour: { ...CONFORMING, idempotencyKey: () => undefined } });
    expect(result.passed).toBe(false);
    const failed = firstFailure(result)!;
    expect(failed.name).toBe('idempotency: replay, other body, in flight');
    expect(failed.failure).toMatchObject({ expected: expect.stringMatching(/replay/), request: { method: 'POST', url: expect.stringMatching(/\/api\/v1\/billing\/customers$/) }, answer: { status: 422 } });
    // The re-post without a key was not recognised as a replay: the server took it for a second customer with the same CPF (BO-01).
    expect(failed.failure!.request!.requestHeaders['idempotency-key']).toBeUndefined();
    expect(failed.failure!.request!.requestHeaders.authorization).toBe('Bearer ***');
    expect(textReport(result)).toMatch(/FAIL {2}idempotency: replay, other body, in flight/);
    expect(junitReport(result)).toMatch(/<testcase classname="homologation" name="idempotency: replay, other body, in flight" time="[\d.]+">\s*<failure/);
  });

  it('API-07 a connector that ignores Retry-After fails at the rate-limit step', { timeout: 120_000 }, async () => {
    const result = await walk({ key: await newKey(), behaviour: { ...CONFORMING, waitAfter429: () => 0 } });
    const failed = firstFailure(result)!;
    expect(failed.name).toBe('rate limit: 429 with Retry-After honoured');
    expect(failed.failure).toMatchObject({ expected: expect.stringMatching(/after waiting Retry-After/), answer: { status: 429, headers: { 'retry-after': expect.any(String) } } });
  });

  // The command itself (HTTP only, so one database kind is enough): a key the server does not know fails every step.
  it.runIf(kind === 'pglite')('API-07 npm run homologate exits 1 when a step fails, after printing the report and writing junit.xml and report.json', { timeout: 120_000 }, async () => {
    const folder = await mkdtemp(path.join(tmpdir(), 'homologation-cli-'));
    try {
      const args = ['--import', 'tsx', 'test/homologate/cli.ts', '--base', server.url, '--key', `bk.0000000000000000.${'x'.repeat(43)}`, '--out', folder];
      const outcome = await new Promise<{ code: number | null; stdout: string }>((resolve) => {
        execFile(process.execPath, args, { timeout: 100_000 }, (error, stdout) => resolve({ code: error ? ((error as { code?: number }).code ?? null) : 0, stdout }));
      });
      expect(outcome.code).toBe(1);
      expect(outcome.stdout).toMatch(/FAIL {2}master data batch upsert/);
      expect(outcome.stdout).toMatch(/answer: {3}401/);
      expect(await readFile(path.join(folder, 'junit.xml'), 'utf8')).toContain(`failures="${STEPS.length}"`);
      expect(JSON.parse(await readFile(path.join(folder, 'report.json'), 'utf8'))).toMatchObject({ passed: false });
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });
});
