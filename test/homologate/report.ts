import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunResult } from './runner.ts';

/** The conformance report as text: one line per step, and under a failed one the request, the answer and what was expected. */
export function textReport(result: RunResult): string {
  const lines = [`Homologation of ${result.base} (${result.startedAt})`, ''];
  for (const step of result.steps) {
    lines.push(`${step.passed ? 'PASS' : 'FAIL'}  ${step.name}  (${step.durationMs} ms)`);
    const failure = step.failure;
    if (!failure) continue;
    lines.push(`      expected: ${failure.expected}`);
    if (failure.error) lines.push(`      error:    ${failure.error}`);
    if (failure.request) {
      lines.push(`      request:  ${failure.request.method} ${failure.request.url}`);
      for (const [name, value] of Object.entries(failure.request.requestHeaders)) lines.push(`                ${name}: ${value}`);
      if (failure.request.requestBody !== undefined) lines.push(`                ${JSON.stringify(failure.request.requestBody).slice(0, 1_000)}`);
    }
    if (failure.answer) {
      lines.push(`      answer:   ${failure.answer.status}`);
      for (const name of ['content-type', 'retry-after', 'etag', 'idempotent-replayed', 'ratelimit-remaining']) if (failure.answer.headers[name] !== undefined) lines.push(`                ${name}: ${failure.answer.headers[name]}`);
      lines.push(`                ${JSON.stringify(failure.answer.body).slice(0, 1_000)}`);
    }
  }
  const failed = result.steps.filter((step) => !step.passed).length;
  lines.push('', failed === 0 ? `All ${result.steps.length} steps passed.` : `${failed} of ${result.steps.length} steps failed.`);
  const recorded = result.recorded;
  if (recorded?.run) {
    const { run } = recorded;
    lines.push(`Recorded by the server as run ${run.id}: ${run.passed ? 'PASSED (the key may be promoted to production)' : 'NOT PASSED'}${run.uncorroborated.length > 0 ? `; not corroborated: ${run.uncorroborated.join(', ')}` : ''}.`);
  } else if (recorded) {
    lines.push(`The server did not record the report (${recorded.status}): ${recorded.error ?? ''}`);
  }
  return lines.join('\n');
}

const xml = (text: string) => text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c]!);

/** JUnit XML: one testsuite "homologation", one testcase per step (time in seconds), a <failure> with the details. */
export function junitReport(result: RunResult): string {
  const failures = result.steps.filter((step) => !step.passed).length;
  const total = result.steps.reduce((sum, step) => sum + step.durationMs, 0) / 1000;
  const cases = result.steps.map((step) => {
    const head = `  <testcase classname="homologation" name="${xml(step.name)}" time="${(step.durationMs / 1000).toFixed(3)}"`;
    if (step.passed) return `${head}/>`;
    return `${head}>\n    <failure message="${xml(step.failure?.expected ?? 'failed')}">${xml(JSON.stringify(step.failure, null, 2))}</failure>\n  </testcase>`;
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuite name="homologation" tests="${result.steps.length}" failures="${failures}" errors="0" time="${total.toFixed(3)}" timestamp="${result.startedAt}">`,
    ...cases,
    '</testsuite>',
    '',
  ].join('\n');
}

/** Writes junit.xml and report.json into `folder` (made if missing); answers their paths. */
export async function writeReports(result: RunResult, folder: string): Promise<{ junit: string; json: string }> {
  await mkdir(folder, { recursive: true });
  const junit = path.join(folder, 'junit.xml');
  const json = path.join(folder, 'report.json');
  await writeFile(junit, junitReport(result));
  await writeFile(json, `${JSON.stringify(result, null, 2)}\n`);
  return { junit, json };
}
