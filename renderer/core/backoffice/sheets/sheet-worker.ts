/// <reference lib="webworker" />
import { readSheet, SheetFileError, writeSheet, type SheetToWrite } from './sheet-file.ts';

/**
 * The sheet worker: reads and writes spreadsheet files off the main thread, so the screen (and its
 * progress bar) stays responsive while ExcelJS unzips and parses a large .xlsx. One request per worker.
 *
 * In:  `{ kind: 'read', name, bytes }` | `{ kind: 'write', sheet }`
 * Out: `{ kind: 'progress', done, total }`* then `{ kind: 'read', header, rows }` | `{ kind: 'write', bytes }` | `{ kind: 'error', code, message }`
 */
export type SheetRequest = { kind: 'read'; name: string; bytes: Uint8Array } | { kind: 'write'; sheet: SheetToWrite };
export type SheetReply =
  | { kind: 'progress'; done: number; total: number }
  | { kind: 'read'; header: string[]; rows: string[][] }
  | { kind: 'write'; bytes: Uint8Array }
  | { kind: 'error'; code: string; message: string };

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (reply: SheetReply, transfer: Transferable[] = []) => scope.postMessage(reply, transfer);

scope.onmessage = async (event: MessageEvent<SheetRequest>) => {
  const request = event.data;
  try {
    if (request.kind === 'read') {
      const sheet = await readSheet(request.bytes, request.name, (done, total) => post({ kind: 'progress', done, total }));
      post({ kind: 'read', ...sheet });
    } else {
      const bytes = await writeSheet(request.sheet);
      post({ kind: 'write', bytes }, [bytes.buffer]);
    }
  } catch (error) {
    post({ kind: 'error', code: error instanceof SheetFileError ? error.code : 'unreadable', message: error instanceof Error ? error.message : String(error) });
  }
};
