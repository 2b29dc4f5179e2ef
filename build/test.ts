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
 * The steps run in two lanes side by side, each lane in order (the guide: the full suite well under
 * 15 minutes on a 2-core machine). Each lane mixes a CPU-bound start with a long suite that spends
 * much of its time waiting (PostgreSQL, scrypt in libuv's pool, the browser), so the two keep both
 * cores busy without fighting for one:
 *   lane 1: typecheck → lint → server
 *   lane 2: unit → build → e2e   (e2e needs the build, which comes before it in its lane)
 * A step that fails stops both lanes from starting anything more; a step already running finishes,
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
const parallelLanes: Step[][] = [
  [typecheck, lint, vitest('server')],
  [vitest('unit'), build, vitest('e2e')],
];
const allSteps = [typecheck, lint, vitest('unit'), vitest('server'), build, vitest('e2e')];
// One step at a time by default. BALCAO_TEST_LANES=1 runs the two lanes side by side: faster on a machine
// with spare cores, but on 2 busy cores the e2e logins (scrypt) can starve past the app's 10 s timeout, and
// the e2e project already runs two files at a time (vitest.config.ts), so alone it keeps both cores busy.
const allLanes = /^(1|true|yes)$/i.test(process.env.BALCAO_TEST_LANES ?? '') ? parallelLanes : [allSteps];

const only = process.argv.slice(2);
const unknown = only.filter((name) => !allSteps.some((step) => step.name === name));
if (unknown.length > 0) {
  console.error(`Unknown step(s): ${unknown.join(', ')}. Steps: ${allSteps.map((step) => step.name).join(', ')}.`);
  process.exit(2);
}
const lanes = allLanes.map((lane) => lane.filter((step) => only.length === 0 || only.includes(step.name))).filter((lane) => lane.length > 0);
const total = lanes.reduce((count, lane) => count + lane.length, 0);

const env = {
  ...process.env,
  BALCAO_TEST_PG_URL: process.env.BALCAO_TEST_PG_URL ?? 'postgres://postgres:postgres@localhost:5432/postgres',
};

/** Runs one step; with two lanes, its output goes to a buffer printed when it ends (and to test-results/<step>.log). */
function run(step: Step): Promise<number> {
  const alone = lanes.length === 1;
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

async function runLane(lane: Step[]): Promise<void> {
  for (const step of lane) {
    if (failure) return;
    begun += 1;
    console.log(`\n▶ [${begun}/${total}] ${step.title}${lanes.length > 1 ? ' (in parallel with the other lane; its output when it ends)' : ''}`);
    const code = await run(step);
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
await Promise.all(lanes.map(runLane));

console.log(failure ? `\n${failure}` : `\n✔ All steps passed (${Math.round((Date.now() - started) / 1000)} s).`);
console.log(summaryLine(addTallies(tallies)));
process.exitCode = failure ? 1 : 0;
