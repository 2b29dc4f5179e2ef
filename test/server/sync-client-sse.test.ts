import { describe, expect, it } from 'vitest';
import { readSse, type SseEvent } from '../../sync/client/sse.ts';

function streamOf(chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  return new ReadableStream({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(encoder.encode(chunk));
      controller.close();
    },
  });
}

describe('SSE reader of the sync stream', () => {
  it('parses events split across chunks, with CRLF, comments and multi-line data', async () => {
    const events: SseEvent[] = [];
    await readSse(
      streamOf([': keep-alive\n\nevent: res', 'ync\ndata: "RESYNC"\n\n', 'event: change\r\ndata: {"a":\r\ndata: 1}\r\n\r\n', 'data: tail-without-blank-line\n']),
      (event) => events.push(event),
    );
    expect(events).toEqual([
      { event: 'resync', data: '"RESYNC"' },
      { event: 'change', data: '{"a":\n1}' },
    ]);
  });
});
