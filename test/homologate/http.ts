/**
 * The connector the conformance script (API-07) drives: plain HTTP with the integrator's key, an
 * Idempotency-Key on every write, and a 429 answered by waiting Retry-After seconds. Its habits are
 * the `Behaviour` so a test can swap in a broken connector and see the walk fail at the right step.
 */

/** One request and its answer, as the report prints them on a failure. */
export interface Exchange {
  method: string;
  url: string;
  requestHeaders: Record<string, string>;
  requestBody?: unknown;
  status: number;
  headers: Record<string, string>;
  /** Parsed JSON, or the text (cut to 2,000 characters), or a note for binary bodies. */
  body: unknown;
}

/** What a connector does on its own; the defaults are what a conforming one does. */
export interface Behaviour {
  /** The Idempotency-Key sent with a write (undefined: none sent). Default: the key the step asks for. */
  idempotencyKey(asked: string): string | undefined;
  /** Seconds to wait after a 429 before trying again, given its Retry-After in seconds. Default: Retry-After. */
  waitAfter429(retryAfterSeconds: number): number;
}

export const CONFORMING: Behaviour = { idempotencyKey: (asked) => asked, waitAfter429: (seconds) => seconds };

export interface SendOptions {
  body?: unknown;
  /** Asks for an Idempotency-Key (the behaviour decides whether it is sent). */
  idempotencyKey?: string;
  headers?: Record<string, string>;
  /** Read the body as bytes (a spreadsheet), not JSON. */
  binary?: boolean;
  /** Give back a 429 as it is, without waiting and trying again (the rate-limit step counts them itself). */
  raw429?: boolean;
}

export interface Answer extends Exchange {
  bytes?: Uint8Array;
}

/** Waits `ms` milliseconds of real time (the connector's default way of waiting out a Retry-After). */
export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
/** A 429 is retried this many times; a connector that honours Retry-After needs one. */
const RETRIES_AFTER_429 = 3;

export class Connector {
  /** Every exchange, in order; the last one is what a failing step printed. */
  readonly log: Exchange[] = [];
  constructor(
    readonly base: string,
    private readonly key: string,
    readonly behaviour: Behaviour = CONFORMING,
    private readonly fetchImpl: typeof fetch = fetch,
    /** How the connector waits out a 429's Retry-After, ms (default: real time; a test with the server's rate-limit clock in hand moves that clock instead). */
    readonly wait: (ms: number) => Promise<void> = sleep,
  ) {}

  /** The last exchange, for a failure report. */
  get last(): Exchange | undefined {
    return this.log[this.log.length - 1];
  }

  /** Sends `method path` (path under the base URL, e.g. /api/v1/products); on 429 waits as the behaviour says and tries again. */
  async send(method: string, path: string, options: SendOptions = {}): Promise<Answer> {
    for (let attempt = 0; ; attempt += 1) {
      const answer = await this.once(method, path, options);
      if (answer.status !== 429 || options.raw429 || attempt >= RETRIES_AFTER_429) return answer;
      const retryAfter = Number(answer.headers['retry-after'] ?? '1');
      await this.wait(Math.max(0, this.behaviour.waitAfter429(Number.isFinite(retryAfter) ? retryAfter : 1)) * 1000);
    }
  }

  private async once(method: string, path: string, options: SendOptions): Promise<Answer> {
    const requestHeaders: Record<string, string> = { authorization: `Bearer ${this.key}`, accept: 'application/json', ...options.headers };
    if (options.body !== undefined) requestHeaders['content-type'] = 'application/json';
    const idempotencyKey = options.idempotencyKey === undefined ? undefined : this.behaviour.idempotencyKey(options.idempotencyKey);
    if (idempotencyKey !== undefined) requestHeaders['idempotency-key'] = idempotencyKey;
    const url = this.base + path;
    const response = await this.fetchImpl(url, { method, headers: requestHeaders, body: options.body === undefined ? undefined : JSON.stringify(options.body) });
    const headers = Object.fromEntries(response.headers.entries());
    let body: unknown;
    let bytes: Uint8Array | undefined;
    if (options.binary && response.ok) {
      bytes = new Uint8Array(await response.arrayBuffer());
      body = `(${bytes.length} bytes)`;
    } else {
      const text = await response.text();
      try {
        body = text ? JSON.parse(text) : null;
      } catch {
        body = text.slice(0, 2_000);
      }
    }
    // The key never goes into a report.
    const shown = { ...requestHeaders, authorization: 'Bearer ***' };
    const exchange: Exchange = { method, url, requestHeaders: shown, requestBody: options.body, status: response.status, headers, body };
    this.log.push(exchange);
    return { ...exchange, bytes };
  }
}
