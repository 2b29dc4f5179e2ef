import http from 'node:http';
import https from 'node:https';
import { Webhook } from 'standardwebhooks';
import { assertLiteralAllowed, guardedLookup } from './target.ts';

/** What one delivery attempt came to. `statusCode` null when no answer came (refused, timed out, blocked). */
export interface AttemptResult {
  ok: boolean;
  statusCode: number | null;
  /** Milliseconds from the request's start to the answer's end (or the failure). */
  durationMs: number;
  /** Why it failed, for the delivery log (never the receiver's whole body: its first 300 characters at most). */
  error: string | null;
}

/**
 * The `webhook-signature` header of the Standard Webhooks scheme: `v1,<base64 HMAC-SHA256 of
 * "<id>.<timestamp>.<body>">` per secret, space-separated — two during a secret's rotation, so a
 * receiver verifying with either the old or the new secret accepts the message.
 *
 * @param timestamp seconds since the epoch, the value of `webhook-timestamp`
 */
export function signatureHeader(secrets: readonly string[], id: string, timestamp: number, body: string): string {
  return secrets.map((secret) => new Webhook(secret).sign(id, new Date(timestamp * 1000), body)).join(' ');
}

export interface SendOptions {
  url: string;
  id: string;
  body: string;
  secrets: readonly string[];
  /** Whole attempt limit (connect, send, answer) in milliseconds. */
  timeoutMs: number;
  allowPrivateNetworks: boolean;
  userAgent: string;
  /** Aborts the attempt (the server is stopping). */
  signal?: AbortSignal;
}

const MAX_ANSWER_BYTES = 64 * 1024;

/**
 * POSTs one signed message. A 2xx answer is a delivery; anything else (another status, a redirect — not
 * followed —, a timeout, a refused address) is a failed attempt. The signature's timestamp is the real
 * time of sending (receivers compare it with their clock), whatever clock schedules the retries.
 */
export function sendMessage(options: SendOptions): Promise<AttemptResult> {
  const started = performance.now();
  const elapsed = () => Math.round(performance.now() - started);
  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    let timer: NodeJS.Timeout | undefined = undefined;
    const finish = (result: Omit<AttemptResult, 'durationMs'>) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ ...result, durationMs: elapsed() });
    };
    let url: URL;
    try {
      url = new URL(options.url);
      assertLiteralAllowed(url, options.allowPrivateNetworks);
    } catch (error) {
      finish({ ok: false, statusCode: null, error: (error as Error).message });
      return;
    }
    const timestamp = Math.floor(Date.now() / 1000);
    const transport = url.protocol === 'https:' ? https : http;
    const request = transport.request(url, {
      method: 'POST',
      lookup: guardedLookup(options.allowPrivateNetworks) as never,
      signal: options.signal,
      headers: {
        'content-type': 'application/json',
        'content-length': Buffer.byteLength(options.body),
        'user-agent': options.userAgent,
        'webhook-id': options.id,
        'webhook-timestamp': String(timestamp),
        'webhook-signature': signatureHeader(options.secrets, options.id, timestamp, options.body),
      },
    });
    timer = setTimeout(() => {
      finish({ ok: false, statusCode: null, error: `no answer within ${options.timeoutMs} ms` });
      request.destroy();
    }, options.timeoutMs);
    request.on('error', (error) => finish({ ok: false, statusCode: null, error: options.signal?.aborted ? 'aborted: the server is stopping' : error.message || String(error) }));
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        if (size < MAX_ANSWER_BYTES) chunks.push(chunk);
        size += chunk.length;
      });
      response.on('error', (error) => finish({ ok: false, statusCode: response.statusCode ?? null, error: error.message }));
      response.on('end', () => {
        const status = response.statusCode ?? 0;
        const ok = status >= 200 && status < 300;
        const text = Buffer.concat(chunks).toString('utf8').slice(0, 300);
        finish({ ok, statusCode: status, error: ok ? null : `answered ${status}${status >= 300 && status < 400 ? ' (redirects are not followed)' : ''}${text ? `: ${text}` : ''}` });
      });
    });
    request.end(options.body);
  });
}
