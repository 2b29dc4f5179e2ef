/** Figures of the device's spreadsheet import (issue 11), measured in Chromium. */
export interface ImportFigures {
  rows: number;
  fileBytes: number;
  /** Choose file → rows read in the worker → headers matched → every row checked (nothing written). */
  dryRunSeconds: number;
  /** Of which: reading the .xlsx in the sheet worker. */
  readSeconds: number;
  /** Writing the planned records through the device's RxDB collection, while a live query of the collection
   * keeps a sorted list as the consumption screen does (renderer/ui/backoffice/use-backoffice.ts). */
  importSeconds: number;
  /** Longest gap between two main-thread timer ticks during the import (ms). */
  longestImportGapMs: number;
  /** The imported records' upload to the server by the app's sync client (first push → every row acknowledged). */
  uploadSeconds: number;
  /**
   * Where the upload's time went: each request of the sync client (method, path without query, rows sent
   * for a push), its start and end in ms after the upload started; the device's own work is the gaps.
   */
  uploadRequests: { what: string; rows: number; startMs: number; endMs: number }[];
  /** The page's JS heap after the upload minus before it (MB, after a garbage collection each; null without --expose-gc): what the sync engine and the replication metadata hold. */
  uploadHeapMb: number | null;
  /** The same file again after the import: every row equal to its record (the re-import of an export). */
  dryRunAgainSeconds: number;
  written: number;
  errors: number;
  unchangedAgain: number;
  /** Longest gap between two main-thread timer ticks during the dry run (ms): the screen's responsiveness. */
  longestMainThreadGapMs: number;
}

export type UploadStorage = 'app' | 'dexie-meta' | 'meta-memory' | 'memory';

export interface SheetsBenchApi {
  /** `server`: where the app's sync client uploads the imported records (a back-office user's token). */
  /**
   * `storage` (an experiment, BENCH_UPLOAD_STORAGE): 'app' (default) the app's storage; 'dexie-meta' every
   * replication's metadata in Dexie (the app before journaled-meta-storage.ts); 'meta-memory' RxDB's
   * replication metadata in memory (what the upload would cost if recording acknowledged states were free);
   * 'memory' every collection in memory (the upload without any IndexedDB work on the device).
   */
  importConsumption(rows: number, server: { url: string; token: string }, storage?: UploadStorage): Promise<ImportFigures>;
}

declare global {
  interface Window {
    sheetsBench?: SheetsBenchApi;
    /** Exposed by the bench runner when it profiles one part: called as each part starts ('done' after the last). */
    sheetsBenchPhase?: (phase: 'dryRun' | 'import' | 'dryRunAgain' | 'upload' | 'done') => Promise<void>;
  }
}
