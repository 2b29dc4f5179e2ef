import type { Checkpoint, CollectionName, PullResponse } from '../schema/index.ts';
import { ApiError, errorFromResponse, networkError } from './api-error.ts';
import type { HttpContext } from './http.ts';

/** Header of a streamed pull with `progress=true`: documents after the checkpoint when it began (server: routes-pull-stream.ts). */
export const PULL_REMAINING_HEADER = 'balcao-remaining';

/** A streamed pull as it arrives: how many documents it started with (when asked and told), then its pages. */
export interface PageStream {
  remaining: number | null;
  pages: AsyncIterable<PullResponse>;
}

/** The server predates streamed pulls (404 on the route): the caller pulls page by page instead. */
export class StreamUnsupported extends Error {}

/**
 * Opens `GET /api/sync/<collection>/pull-stream` after `checkpoint` and yields its pages (one JSON
 * object per NDJSON line) as they arrive: one request for the whole pull instead of one per page
 * (issue 16). Failures are ApiErrors as for every request (code `network` when the stream breaks);
 * a 404 is StreamUnsupported. Leaving the loop early cancels the request.
 */
export async function openPullStream(http: HttpContext, collection: CollectionName, checkpoint: Checkpoint | undefined, limit: number, progress: boolean, signal?: AbortSignal): Promise<PageStream> {
  const token = http.getToken();
  if (!token) throw new ApiError('unauthorized', 'Not logged in: log in to synchronise.');
  const query = `limit=${limit}${checkpoint ? `&checkpoint=${checkpoint.seq}${checkpoint.epoch ? `&epoch=${encodeURIComponent(checkpoint.epoch)}` : ''}` : ''}${progress ? '&progress=true' : ''}`;
  let response: Response;
  try {
    response = await http.fetchImpl(`${http.serverUrl}/api/sync/${collection}/pull-stream?${query}`, {
      headers: { accept: 'application/x-ndjson', authorization: `Bearer ${token}` },
      signal,
    });
  } catch (cause) {
    throw networkError(http.serverUrl, cause);
  }
  // The route names no resource that could be missing: a 404 is a server without it.
  if (response.status === 404) {
    await response.body?.cancel().catch(() => undefined);
    throw new StreamUnsupported(`the server has no ${collection} pull stream`);
  }
  if (!response.ok || !response.body) {
    const error = await errorFromResponse(response);
    if (response.status === 401) http.onUnauthorized?.();
    throw error;
  }
  const told = response.headers.get(PULL_REMAINING_HEADER);
  const remaining = told !== null && /^\d+$/.test(told) ? Number(told) : null;
  return { remaining, pages: readLines(http.serverUrl, response.body) };
}

async function* readLines(serverUrl: string, body: ReadableStream<Uint8Array>): AsyncGenerator<PullResponse> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  // Chunks of the current line; a page of thousands of documents spans many chunks, so they are joined once, not appended one by one.
  let parts: string[] = [];
  try {
    for (;;) {
      let chunk: ReadableStreamReadResult<Uint8Array>;
      try {
        chunk = await reader.read();
      } catch (cause) {
        throw networkError(serverUrl, cause);
      }
      if (chunk.done) break;
      let text = decoder.decode(chunk.value, { stream: true });
      for (let newline = text.indexOf('\n'); newline !== -1; newline = text.indexOf('\n')) {
        parts.push(text.slice(0, newline));
        text = text.slice(newline + 1);
        const line = parts.join('');
        parts = [];
        if (line !== '') yield parse(line);
      }
      if (text !== '') parts.push(text);
    }
    const rest = parts.join('') + decoder.decode();
    // A last line without its newline was cut on the way: what came before it stands.
    if (rest !== '') throw networkError(serverUrl, new Error('the pull stream was cut in the middle of a page'));
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}

function parse(line: string): PullResponse {
  try {
    return JSON.parse(line) as PullResponse;
  } catch (cause) {
    throw new ApiError('internal', `Server sent an unreadable page (${String(cause)}). Try again later.`);
  }
}
