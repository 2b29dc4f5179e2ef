import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl from 'yauzl';
import { ApiProblem } from './problem.ts';

/**
 * What an .xlsx upload may inflate to, all its parts together. A real workbook of 100,000 customers in
 * 12 columns is 6.9 MB and inflates to 69 MB (written by ExcelJS; ExcelJS then takes 14 s and 450 MB
 * to load it), so a 20 MB upload of ordinary rows stays under this, and a "zip bomb" (a few MB that
 * inflate to gigabytes) does not.
 */
export const MAX_XLSX_INFLATED_BYTES = 256 * 1024 * 1024;
/** Parts an .xlsx upload may hold: a workbook has tens; a zip of millions of empty entries is an attack. */
export const MAX_XLSX_ENTRIES = 10_000;

/**
 * Refuses an upload whose zip inflates past `limits` before ExcelJS sees it: ExcelJS (through JSZip)
 * inflates every part whole in memory, so a few compressed megabytes of one repeated byte would take
 * the server's heap and every store's requests with it. The parts' declared sizes are summed first
 * (a refusal without inflating anything); then every part is inflated once, counted and dropped a chunk
 * at a time, while yauzl holds each part to its declared size (validateEntrySizes), so the sum is
 * what ExcelJS will inflate.
 *
 * @param body the upload's bytes
 * @throws ApiProblem 413 `payload_too_large` when the parts inflate past `limits.bytes` or number more
 *   than `limits.entries`; 400 `validation_failed` when the body is not a readable zip (an .xlsx is one)
 */
export async function assertXlsxInflatesWithin(body: Buffer, limits = { bytes: MAX_XLSX_INFLATED_BYTES, entries: MAX_XLSX_ENTRIES }): Promise<void> {
  const tooLarge = () =>
    new ApiProblem(413, 'payload_too_large', `The .xlsx file unpacks to more than ${Math.round(limits.bytes / 1024 / 1024)} MB or holds more than ${limits.entries} parts. Split it into several uploads.`);
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(body, { lazyEntries: true, validateEntrySizes: true });
  } catch (error) {
    throw notXlsx(error);
  }
  if (zip.entryCount > limits.entries) {
    zip.close();
    throw tooLarge();
  }
  let declared = 0;
  const entries: yauzl.Entry[] = [];
  try {
    for await (const entry of zip.eachEntry()) {
      declared += entry.uncompressedSize;
      if (declared > limits.bytes) throw tooLarge();
      entries.push(entry);
    }
    for (const entry of entries) {
      if (entry.uncompressedSize === 0 && entry.compressedSize === 0) continue;
      // Dropped as read: only yauzl's own check (no part inflates past its declared size) is wanted here.
      await pipeline(await zip.openReadStreamPromise(entry), new Writable({ write: (_chunk, _encoding, done) => done() }));
    }
  } catch (error) {
    throw error instanceof ApiProblem ? error : notXlsx(error);
  } finally {
    zip.close();
  }
}

function notXlsx(error: unknown): ApiProblem {
  return new ApiProblem(400, 'validation_failed', `The body could not be read as .xlsx (${error instanceof Error ? error.message : String(error)}). Save the file again as .xlsx and send it again.`);
}
