import { parentPort } from 'node:worker_threads';
import { readXlsxTable } from './xlsx-read.ts';

// One sheet at a time, in the order they came: ExcelJS holds a whole workbook in memory while it reads,
// so reads side by side would add up (xlsx-reader.ts queues uploads here).
let queue: Promise<void> = Promise.resolve();

/** The reader thread (xlsx-reader.ts): answers each `{ id, body, maxRows }` with `{ id, result }` or `{ id, error }`, one at a time. */
parentPort?.on('message', (message: { id: number; body: Uint8Array; maxRows: number }) => {
  queue = queue.then(() =>
    readXlsxTable(message.body, message.maxRows).then(
      (result) => parentPort?.postMessage({ id: message.id, result }),
      (error: unknown) => parentPort?.postMessage({ id: message.id, error: String(error) }),
    ),
  );
});
