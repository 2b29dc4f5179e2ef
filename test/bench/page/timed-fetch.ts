/** Request counts and times of one phase, split where the wire ends and parsing starts. */
export interface FetchTally {
  requests: number;
  /** Request start → response headers. */
  fetchMs: number;
  /** Body download + JSON.parse (only for bodies read with `json()`). */
  jsonMs: number;
  /** Per request: path (no query), start and duration to headers, ms since the tally began. */
  timeline: { path: string; at: number; ms: number }[];
  origin: number;
  /** Rows the server acknowledged without a conflict, per pushed collection, and when the count last grew. */
  acknowledged: Record<string, { rows: number; lastAt: number }>;
}

export function newTally(): FetchTally {
  return { requests: 0, fetchMs: 0, jsonMs: 0, timeline: [], origin: performance.now(), acknowledged: {} };
}

/**
 * A fetch for `startSync` that adds into `tally` while `active()` holds. The live stream is never
 * counted: its response stays open for the whole session.
 */
export function timedFetch(tally: () => FetchTally | null): typeof fetch {
  return async (input, init) => {
    const target = tally();
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!target || url.endsWith('/api/sync/stream')) return fetch(input, init);
    const started = performance.now();
    const response = await fetch(input, init);
    target.requests++;
    target.fetchMs += performance.now() - started;
    target.timeline.push({ path: new URL(url).pathname, at: Math.round(started - target.origin), ms: Math.round(performance.now() - started) });
    const pushed = /\/api\/sync\/([^/]+)\/push$/.exec(new URL(url).pathname)?.[1];
    const rows = pushed && typeof init?.body === 'string' ? (JSON.parse(init.body) as unknown[]).length : 0;
    const json = response.json.bind(response);
    // Own property shadows the prototype's method; the client only ever calls json() once.
    response.json = async () => {
      const parseStarted = performance.now();
      try {
        const body = (await json()) as unknown;
        if (pushed && response.ok && Array.isArray(body)) {
          const entry = (target.acknowledged[pushed] ??= { rows: 0, lastAt: 0 });
          entry.rows += rows - body.length;
          entry.lastAt = performance.now() - target.origin;
        }
        return body;
      } finally {
        target.jsonMs += performance.now() - parseStarted;
      }
    };
    return response;
  };
}
