import type { HomologationRun } from '../../sync/schema/index.ts';
import { StepFailure, cpf, type Step, type StepContext } from './check.ts';
import { Connector, CONFORMING, type Behaviour, type Exchange } from './http.ts';
import { LocalReceiver } from './receiver.ts';
import { BILLING_STEPS } from './steps-billing.ts';
import { COMMERCE_STEPS } from './steps-commerce.ts';
import { CONVENTION_STEPS } from './steps-conventions.ts';

/** The integration steps, in the order an integrator goes through them (API-07). */
export const STEPS: Step[] = [...COMMERCE_STEPS, ...BILLING_STEPS, ...CONVENTION_STEPS];

export interface StepResult {
  /** The step's stable id (the server corroborates each by it). */
  id: string;
  name: string;
  passed: boolean;
  /** Wall time of the step, ms. */
  durationMs: number;
  failure?: { expected: string; request?: Omit<Exchange, 'status' | 'headers' | 'body'>; answer?: Pick<Exchange, 'status' | 'headers' | 'body'>; error?: string };
}

export interface RunResult {
  base: string;
  startedAt: string;
  passed: boolean;
  steps: StepResult[];
  /**
   * The server's acceptance record of this run (API-07): a sandbox key posts the report at the end
   * (POST /api/v1/homologation-runs); the server corroborates each step from what the key did. Absent
   * for a production key (production is never homologated) or when posting was turned off.
   */
  recorded?: { status: number; run?: HomologationRun; error?: string };
}

export interface RunOptions {
  base: string;
  key: string;
  /** The connector's habits (default: a conforming connector). */
  behaviour?: Behaviour;
  fetch?: typeof fetch;
  /** How long a webhook may take to arrive, ms (default 30,000). */
  webhookWaitMs?: number;
  /** Post the report to the server at the end (default: when the key is a sandbox key, `bk_test.`). */
  postReport?: boolean;
  /**
   * The steps to walk, in order (default: all of STEPS). A shorter walk never passes on the server: it
   * counts a step missing from the report as failed. For a test that only needs a failed run on record.
   */
  steps?: readonly Step[];
  /**
   * How a wait for a 429's Retry-After is made, ms (default: real time). A test whose server counts its
   * rate-limit windows on a clock of the test's (RateLimits.clock) moves that clock forward instead.
   */
  wait?: (ms: number) => Promise<void>;
}

/**
 * Walks every step against the server at `base` with the integrator's key, each step after the
 * other (a failed step is recorded and the walk goes on, so the report shows every problem), and
 * answers what passed and failed. Starts and stops the local webhook receiver on 127.0.0.1.
 */
export async function runHomologation(options: RunOptions): Promise<RunResult> {
  const http = new Connector(options.base.replace(/\/+$/, ''), options.key, options.behaviour ?? CONFORMING, options.fetch, options.wait);
  const receiver = await LocalReceiver.start();
  const run = Date.now().toString(36).slice(-6) + Math.floor(Math.random() * 36 ** 2).toString(36).padStart(2, '0');
  const context: StepContext = { http, receiver, run, state: { taxId: cpf(parseInt(run, 36) + 2) }, webhookWaitMs: options.webhookWaitMs ?? 30_000 };
  const result: RunResult = { base: http.base, startedAt: new Date().toISOString(), passed: true, steps: [] };
  try {
    for (const step of options.steps ?? STEPS) {
      const started = performance.now();
      try {
        await step.run(context);
        result.steps.push({ id: step.id, name: step.name, passed: true, durationMs: Math.round(performance.now() - started) });
      } catch (error) {
        result.passed = false;
        result.steps.push({ id: step.id, name: step.name, passed: false, durationMs: Math.round(performance.now() - started), failure: failureOf(error) });
      }
    }
  } finally {
    await receiver.close();
  }
  // The script itself posts (honouring Retry-After), not the connector under test: a connector that breaks a
  // convention still gets its failed run on record.
  if (options.postReport ?? options.key.startsWith('bk_test.')) result.recorded = await postReport(new Connector(http.base, options.key, CONFORMING, options.fetch, options.wait), result, `hom-${run}-report`);
  return result;
}

/** Posts the report as the acceptance record of this run; a failure to post is reported, never thrown. */
async function postReport(http: Connector, result: RunResult, idempotencyKey: string): Promise<NonNullable<RunResult['recorded']>> {
  try {
    // What the server keeps: each step's outcome and, on failure, what was expected and the answer's status.
    const steps = result.steps.map(({ id, name, passed, durationMs, failure }) => ({
      id, name, passed, durationMs,
      ...(failure ? { failure: { expected: failure.expected.slice(0, 2_000), ...(failure.error ? { error: failure.error.slice(0, 2_000) } : {}), ...(failure.answer ? { answer: { status: failure.answer.status } } : {}) } } : {}),
    }));
    const answer = await http.send('POST', '/api/v1/homologation-runs', { idempotencyKey, body: { base: result.base.slice(0, 2_000), startedAt: result.startedAt, passed: result.passed, steps } });
    if (answer.status === 201) return { status: answer.status, run: answer.body as HomologationRun };
    return { status: answer.status, error: JSON.stringify(answer.body).slice(0, 1_000) };
  } catch (error) {
    return { status: 0, error: error instanceof Error ? error.message : String(error) };
  }
}

function failureOf(error: unknown): StepResult['failure'] {
  if (error instanceof StepFailure) {
    const exchange = error.exchange;
    if (!exchange) return { expected: error.expected };
    const { status, headers, body, ...request } = exchange;
    return { expected: error.expected, request, answer: { status, headers, body } };
  }
  return { expected: 'the step runs to its end', error: error instanceof Error ? error.message : String(error) };
}
