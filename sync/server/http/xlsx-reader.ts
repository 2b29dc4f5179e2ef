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

/** How long an upload may wait for its sheet to be read, queue included (a 100,000-row sheet reads in about 3.4 s), in ms. */
export const XLSX_READ_TIMEOUT_MS = 60_000;

/** The sheet was not read within the time allowed: its thread is stopped, and the next upload starts another. */
export class XlsxReadTimeout extends Error {}

/**
 * The first worksheet of an .xlsx body as text (readXlsxTable), read in the reader thread. The body is
 * copied to the thread, not moved: the caller keeps it. A read that takes longer than `timeoutMs`
 * (a sheet ExcelJS cannot get through) stops the thread, so it cannot hold every later upload: the
 * uploads queued behind it fail with it.
 *
 * @throws XlsxReadTimeout after `timeoutMs`; Error when the reader thread failed or stopped while reading
 */
export function readXlsxInWorker(body: Uint8Array, maxRows: number, timeoutMs = XLSX_READ_TIMEOUT_MS): Promise<XlsxTable> {
  reader ??= start();
  const current = reader;
  const id = nextId++;
  return new Promise<XlsxTable>((resolve, reject) => {
    const timer = setTimeout(() => {
      current.pending.delete(id);
      reject(new XlsxReadTimeout(`The sheet was not read within ${timeoutMs >= 1000 ? `${Math.round(timeoutMs / 1000)} s` : `${timeoutMs} ms`}.`));
      if (reader === current) reader = null;
      void current.worker.terminate();
    }, timeoutMs);
    current.pending.set(id, {
      resolve: (table) => {
        clearTimeout(timer);
        resolve(table);
      },
      reject: (error) => {
        clearTimeout(timer);
        reject(error);
      },
    });
    current.worker.ref();
    current.worker.postMessage({ id, body, maxRows });
  }).finally(() => {
    if (current.pending.size === 0) current.worker.unref();
  });
}
