import { parentPort } from 'node:worker_threads';
import { readXlsxTable } from './xlsx-read.ts';

/** The reader thread (xlsx-reader.ts): answers each `{ id, body, maxRows }` with `{ id, result }` or `{ id, error }`, one at a time. */
parentPort?.on('message', (message: { id: number; body: Uint8Array; maxRows: number }) => {
  readXlsxTable(message.body, message.maxRows).then(
    (result) => parentPort?.postMessage({ id: message.id, result }),
    (error: unknown) => parentPort?.postMessage({ id: message.id, error: String(error) }),
  );
});
