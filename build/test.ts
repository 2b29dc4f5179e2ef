import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, TEST_RESULTS } from './paths.ts';
import { addTallies, readTally, summaryLine, type Tally } from './test-summary.ts';

/**
 * `npm test`: every check in order, stopping at the first failure. The last line is always
 * `N passed, N failed, N skipped` over the vitest projects that ran.
 * `npm test -- unit lint` runs only the named steps (typecheck, lint, unit, server, build, e2e).
 */
interface Step {
  name: string;
  title: string;
  command: string;
  args: string[];
  /** Name of the vitest project; its JSON report feeds the summary. */
  project?: string;
}

const bin = (name: string) => join(ROOT, 'node_modules', '.bin', process.platform === 'win32' ? `${name}.cmd` : name);
const vitest = (project: string): Step => ({
  name: project,
  title: `tests: ${project}`,
  command: bin('vitest'),
  args: ['run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${join(TEST_RESULTS, `${project}.json`)}`],
  project,
});

const allSteps: Step[] = [
  { name: 'typecheck', title: 'type check (tsc)', command: bin('tsc'), args: ['--noEmit', '-p', '.'] },
  { name: 'lint', title: 'lint (eslint)', command: bin('eslint'), args: ['.'] },
  vitest('unit'),
  vitest('server'),
  { name: 'build', title: 'build (renderer + electron)', command: bin('tsx'), args: ['build/build.ts'] },
  vitest('e2e'),
];

const only = process.argv.slice(2);
const unknown = only.filter((name) => !allSteps.some((step) => step.name === name));
if (unknown.length > 0) {
  console.error(`Unknown step(s): ${unknown.join(', ')}. Steps: ${allSteps.map((step) => step.name).join(', ')}.`);
  process.exit(2);
}
const steps = only.length > 0 ? allSteps.filter((step) => only.includes(step.name)) : allSteps;

const env = {
  ...process.env,
  BALCAO_TEST_PG_URL: process.env.BALCAO_TEST_PG_URL ?? 'postgres://postgres:postgres@localhost:5432/postgres',
};

function run(step: Step): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(step.command, step.args, { cwd: ROOT, env, stdio: 'inherit', shell: process.platform === 'win32' });
    child.once('error', (error) => {
      console.error(`Could not start ${step.command}: ${error.message} (run npm install first).`);
      resolve(1);
    });
    child.once('close', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

rmSync(TEST_RESULTS, { recursive: true, force: true });
mkdirSync(TEST_RESULTS, { recursive: true });

const tallies: Tally[] = [];
let failure: string | null = null;
for (const [index, step] of steps.entries()) {
  console.log(`\n▶ [${index + 1}/${steps.length}] ${step.title}`);
  const code = await run(step);
  if (step.project) {
    const tally = readTally(join(TEST_RESULTS, `${step.project}.json`));
    // No report means vitest died before reporting: count the project as one failure.
    tallies.push(tally ?? { passed: 0, failed: 1, skipped: 0 });
  }
  if (code !== 0) {
    failure = `✖ Step "${step.title}" failed (exit code ${code}); later steps were not run. Fix the errors above and run npm test again.`;
    break;
  }
}

console.log(failure ? `\n${failure}` : '\n✔ All steps passed.');
console.log(summaryLine(addTallies(tallies)));
process.exitCode = failure ? 1 : 0;
