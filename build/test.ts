import { spawn } from 'node:child_process';
import { createWriteStream, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, TEST_RESULTS } from './paths.ts';
import { addTallies, readTally, summaryLine, type Tally } from './test-summary.ts';

/**
 * `npm test`: every check, stopping at the first failure. The last line is always
 * `N passed, N failed, N skipped` over the vitest projects that ran.
 * `npm test -- unit lint` runs only the named steps (typecheck, lint, unit, server, build, e2e).
 *
 * The steps run in phases, one phase after the other; inside a phase, lanes run side by side, each
 * lane in order (the guide: the full suite well under 15 minutes on a 2-core machine):
 *   phase 1: server  |  typecheck → lint → unit → build
 *   phase 2: e2e     (needs the build; alone, because its logins (scrypt) beside the server suite
 *                     could starve past the app's 10 s timeout on 2 busy cores)
 * Why phase 1 pairs them: the server suite spends much of its time waiting (PostgreSQL, backoff,
 * child servers), and the CPU-bound checks (about 90 s alone in CI) fit in those waits instead of
 * running before it. No server test reads dist/, so building beside it is safe.
 * A step that fails stops every lane from starting anything more; a step already running finishes,
 * so its report stays whole. While two steps run, each one's output is kept and printed as one
 * block when it ends (also in test-results/<step>.log); a step alone prints as it goes.
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

const typecheck: Step = { name: 'typecheck', title: 'type check (tsc)', command: bin('tsc'), args: ['--noEmit', '-p', '.'] };
const lint: Step = { name: 'lint', title: 'lint (eslint)', command: bin('eslint'), args: ['.'] };
const build: Step = { name: 'build', title: 'build (renderer + electron)', command: bin('tsx'), args: ['build/build.ts'] };
const allSteps = [typecheck, lint, vitest('unit'), vitest('server'), build, vitest('e2e')];
/** Phases run one after the other; each is lanes that run side by side, each lane in order. */
type Phase = Step[][];
const defaultPhases: Phase[] = [
  [[vitest('server')], [typecheck, lint, vitest('unit'), build]],
  [[vitest('e2e')]],
];
// BALCAO_TEST_LANES=1: two lanes side by side from the start, e2e beside the server (a machine with
// cores to spare). BALCAO_TEST_SERIAL=1: one step at a time (e.g. to read one step's output live).
const allPhases: Phase[] = /^(1|true|yes)$/i.test(process.env.BALCAO_TEST_LANES ?? '')
  ? [[[typecheck, lint, vitest('server')], [vitest('unit'), build, vitest('e2e')]]]
  : /^(1|true|yes)$/i.test(process.env.BALCAO_TEST_SERIAL ?? '')
    ? [[allSteps]]
    : defaultPhases;

const only = process.argv.slice(2);
const unknown = only.filter((name) => !allSteps.some((step) => step.name === name));
if (unknown.length > 0) {
  console.error(`Unknown step(s): ${unknown.join(', ')}. Steps: ${allSteps.map((step) => step.name).join(', ')}.`);
  process.exit(2);
}
const phases = allPhases
  .map((phase) => phase.map((lane) => lane.filter((step) => only.length === 0 || only.includes(step.name))).filter((lane) => lane.length > 0))
  .filter((phase) => phase.length > 0);
const total = phases.reduce((count, phase) => count + phase.reduce((sum, lane) => sum + lane.length, 0), 0);

const env = {
  ...process.env,
  BALCAO_TEST_PG_URL: process.env.BALCAO_TEST_PG_URL ?? 'postgres://postgres:postgres@localhost:5432/postgres',
};

/** Runs one step; with two lanes, its output goes to a buffer printed when it ends (and to test-results/<step>.log). */
function run(step: Step, alone: boolean): Promise<number> {
  return new Promise((resolve) => {
    const started = Date.now();
    const log = alone ? null : createWriteStream(join(TEST_RESULTS, `${step.name}.log`));
    const chunks: Buffer[] = [];
    const child = spawn(step.command, step.args, { cwd: ROOT, env, stdio: alone ? 'inherit' : ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' });
    const keep = (chunk: Buffer) => {
      chunks.push(chunk);
      log?.write(chunk);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    let settled = false;
    const finish = (code: number) => {
      if (settled) return;
      settled = true;
      log?.end();
      if (!alone) {
        const seconds = Math.round((Date.now() - started) / 1000);
        console.log(`\n■ ${step.title}: ${code === 0 ? 'passed' : `failed (exit code ${code})`} in ${seconds} s — its output:`);
        process.stdout.write(Buffer.concat(chunks));
      }
      resolve(code);
    };
    child.once('error', (error) => {
      console.error(`Could not start ${step.command}: ${error.message} (run npm install first).`);
      finish(1);
    });
    child.once('close', (code, signal) => finish(code ?? (signal ? 1 : 0)));
  });
}

rmSync(TEST_RESULTS, { recursive: true, force: true });
mkdirSync(TEST_RESULTS, { recursive: true });

const tallies: Tally[] = [];
let failure: string | null = null;
let begun = 0;

async function runLane(lane: Step[], alone: boolean): Promise<void> {
  for (const step of lane) {
    if (failure) return;
    begun += 1;
    console.log(`\n▶ [${begun}/${total}] ${step.title}${alone ? '' : ' (in parallel with the other lane; its output when it ends)'}`);
    const code = await run(step, alone);
    if (step.project) {
      const tally = readTally(join(TEST_RESULTS, `${step.project}.json`));
      // No report means vitest died before reporting: count the project as one failure.
      tallies.push(tally ?? { passed: 0, failed: 1, skipped: 0 });
    }
    if (code !== 0) {
      failure ??= `✖ Step "${step.title}" failed (exit code ${code}); steps not yet started were not run. Fix the errors above and run npm test again.`;
      return;
    }
  }
}

const started = Date.now();
for (const phase of phases) {
  if (failure) break;
  await Promise.all(phase.map((lane) => runLane(lane, phase.length === 1)));
}

console.log(failure ? `\n${failure}` : `\n✔ All steps passed (${Math.round((Date.now() - started) / 1000)} s).`);
console.log(summaryLine(addTallies(tallies)));
process.exitCode = failure ? 1 : 0;
