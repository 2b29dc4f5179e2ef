import type { Connector, Exchange } from './http.ts';
import type { LocalReceiver } from './receiver.ts';

/** A step's refusal: what was expected, and the exchange that showed otherwise. */
export class StepFailure extends Error {
  constructor(
    readonly expected: string,
    readonly exchange: Exchange | undefined,
  ) {
    super(expected);
  }
}

/** What every step shares: the connector, the local receiver, a run id that keeps ids apart between runs, and what earlier steps made. */
export interface StepContext {
  http: Connector;
  receiver: LocalReceiver;
  /** Short, unique per run (ids and codes carry it, so the walk can run again on the same sandbox). */
  run: string;
  state: Record<string, string>;
  /** How long a webhook may take to arrive, ms. */
  webhookWaitMs: number;
}

export interface Step {
  /** Stable id the server knows the step by (its evidence, sync/server/sandbox/runs.ts), e.g. `master-data`. */
  id: string;
  /** Stable name: the report, JUnit test case and tests use it. */
  name: string;
  run(context: StepContext): Promise<void>;
}

/** Fails the step with `expected` unless `condition` holds; the report shows the last exchange. */
export function check(context: StepContext, condition: unknown, expected: string): asserts condition {
  if (!condition) throw new StepFailure(expected, context.http.last);
}

/** Reads a value by a dotted path from an answer body (undefined when absent). */
export function at(body: unknown, path: string): unknown {
  let value: unknown = body;
  for (const part of path.split('.')) value = value !== null && typeof value === 'object' ? (value as Record<string, unknown>)[part] : undefined;
  return value;
}

/** A valid CPF for any n (check digits computed): customers need a real-looking tax id. */
export function cpf(n: number): string {
  const base = String(100_000_000 + (n % 900_000_000)).slice(-9).split('').map(Number);
  const digit = (digits: number[]) => {
    const rest = digits.reduce((sum, d, i) => sum + d * (digits.length + 1 - i), 0) % 11;
    return rest < 2 ? 0 : 11 - rest;
  };
  const first = digit(base);
  return [...base, first, digit([...base, first])].join('');
}
