import type { SheetReply, SheetRequest } from './sheet-worker.ts';
import { SheetFileError, type SheetErrorCode } from './sheet-errors.ts';
import type { SheetText, SheetToWrite } from './sheet-file.ts';

/**
 * The main thread's side of the sheet worker: each call starts a worker (bundled by Vite as a file of
 * its own, allowed by the app's `script-src 'self'`), sends one request and ends the worker.
 */
function run(request: SheetRequest, onProgress?: (done: number, total: number) => void): Promise<SheetReply> {
  const worker = new Worker(new URL('./sheet-worker.ts', import.meta.url), { type: 'module' });
  return new Promise<SheetReply>((resolve, reject) => {
    worker.onmessage = (event: MessageEvent<SheetReply>) => {
      if (event.data.kind === 'progress') return onProgress?.(event.data.done, event.data.total);
      worker.terminate();
      if (event.data.kind === 'error') reject(new SheetFileError(event.data.code as SheetErrorCode, event.data.message));
      else resolve(event.data);
    };
    worker.onerror = (event) => {
      worker.terminate();
      reject(new SheetFileError('unreadable', event.message || 'The spreadsheet reader stopped.'));
    };
    worker.postMessage(request, request.kind === 'read' ? [request.bytes.buffer] : []);
  });
}

/**
 * Reads a chosen file (.xlsx or .csv) off the main thread.
 *
 * @throws SheetFileError (`xls`: the old binary format; `unreadable`; `empty`; `unknown_format`)
 */
export async function readSheetFile(file: File, onProgress?: (done: number, total: number) => void): Promise<SheetText> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  const reply = await run({ kind: 'read', name: file.name, bytes }, onProgress);
  if (reply.kind !== 'read') throw new SheetFileError('unreadable', 'Unexpected answer of the spreadsheet reader.');
  return { header: reply.header, rows: reply.rows };
}

/** Writes an .xlsx off the main thread. */
export async function writeSheetFile(sheet: SheetToWrite): Promise<Uint8Array> {
  const reply = await run({ kind: 'write', sheet });
  if (reply.kind !== 'write') throw new SheetFileError('unreadable', 'Unexpected answer of the spreadsheet writer.');
  return reply.bytes;
}

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** Hands bytes to the user as a downloaded file (the browser's or Electron's save). */
export function downloadFile(bytes: Uint8Array, fileName: string, type = XLSX_TYPE): void {
  const url = URL.createObjectURL(new Blob([bytes as BlobPart], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
