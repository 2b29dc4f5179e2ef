import { readSse, type SseEvent } from '../../../sync/client/sse.ts';

/** A device's event stream as the tests see it: every event in arrival order, and a way to wait for one. */
export async function openStream(url: string, token: string) {
  const controller = new AbortController();
  const response = await fetch(`${url}/api/sync/stream`, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: controller.signal });
  if (!response.ok || !response.body) throw new Error(`stream failed: ${response.status}`);
  const events: SseEvent[] = [];
  const waiters = new Set<() => void>();
  const done = readSse(response.body, (event) => {
    events.push(event);
    for (const wake of waiters) wake();
  }).catch(() => undefined);

  return {
    events,
    contentType: response.headers.get('content-type'),
    /** Settles when the stream ends (the server closed it, or close() was called). */
    ended: done,
    /** Resolves with the first event (already received or future) that matches. */
    async waitFor(match: (event: SseEvent) => boolean, what: string, timeoutMs = 10_000): Promise<SseEvent> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.find(match);
        if (found) return found;
        if (Date.now() > deadline) throw new Error(`no stream event: ${what}; got ${events.map((e) => e.event).join(', ')}`);
        await new Promise<void>((resolve) => {
          const wake = () => {
            waiters.delete(wake);
            resolve();
          };
          waiters.add(wake);
          setTimeout(wake, 100);
        });
      }
    },
    async close() {
      controller.abort();
      await done;
    },
  };
}

export function changeOf(event: SseEvent): { collection: string; documents: { id: string }[]; checkpoint: { seq: number } } | null {
  return event.event === 'change' ? JSON.parse(event.data) : null;
}

/** True when a stream's `ended` settles within `ms` (the server closed it), false when it is still open then. */
export function endsWithin(ended: Promise<unknown>, ms: number): Promise<boolean> {
  return Promise.race([ended.then(() => true), new Promise<boolean>((resolve) => setTimeout(() => resolve(false), ms))]);
}
