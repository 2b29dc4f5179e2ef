import { Worker } from 'node:worker_threads';
import type { XlsxTable } from './xlsx-read.ts';

/**
 * Reads .xlsx uploads in a worker thread of their own, so the seconds ExcelJS spends parsing a big sheet
 * (1.2 s without a pause at 100,000 rows) do not stall every other request, live streams included. One
 * thread, started on the first upload and kept (unref'd: it does not keep the process alive); uploads
 * queue in it. A thread that dies fails the uploads it held, and the next upload starts a new one.
 */
let reader: { worker: Worker; pending: Map<number, { resolve: (table: XlsxTable) => void; reject: (error: Error) => void }> } | null = null;
let nextId = 0;

// The thread runs TypeScript as the server does (tsx), registered by its entry: Node 20 passes no loader to a worker.
const ENTRY = new URL('./xlsx-read-thread.mjs', import.meta.url);

function start() {
  const worker = new Worker(ENTRY);
  worker.unref();
  const current = { worker, pending: new Map<number, { resolve: (table: XlsxTable) => void; reject: (error: Error) => void }>() };
  worker.on('message', (message: { id: number; result?: XlsxTable; error?: string }) => {
    const waiting = current.pending.get(message.id);
    if (!waiting) return;
    current.pending.delete(message.id);
    if (message.result) waiting.resolve(message.result);
    else waiting.reject(new Error(message.error ?? 'the spreadsheet reader failed'));
  });
  const fail = (error: Error) => {
    if (reader === current) reader = null;
    for (const waiting of current.pending.values()) waiting.reject(error);
    current.pending.clear();
  };
  worker.on('error', fail);
  worker.on('exit', (code) => fail(new Error(`the spreadsheet reader stopped (exit ${code})`)));
  return current;
}

/**
 * The first worksheet of an .xlsx body as text (readXlsxTable), read in the reader thread. The body is
 * copied to the thread, not moved: the caller keeps it.
 *
 * @throws Error when the reader thread failed or stopped while reading
 */
export function readXlsxInWorker(body: Uint8Array, maxRows: number): Promise<XlsxTable> {
  reader ??= start();
  const { worker, pending } = reader;
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    worker.ref();
    worker.postMessage({ id, body, maxRows });
  }).finally(() => {
    if (pending.size === 0) worker.unref();
  }) as Promise<XlsxTable>;
}
