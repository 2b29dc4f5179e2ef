/** What the runner (Node) and the bench page (Chromium) exchange through `page.evaluate`. */

/** Ids of the customers the upload phase creates; the runner counts them on the server. */
export const BENCH_CUSTOMER_PREFIX = 'bench-c-';

export interface DeviceSession {
  serverUrl: string;
  /** Token of the cashier signed in on the paired station: the device under test. */
  deviceToken: string;
  /** Admin token: the "central" side that edits products during the latency phase. */
  adminToken: string;
  stationId: string;
  /** Where the latency phase sends its PUTs: the server, or a same-origin proxy when CORS refuses PUT. */
  putBaseUrl: string;
  /** Batch sizes handed to startSync; undefined keeps the client's defaults (what the app ships). */
  tuning: { pullBatchSize?: number; pushBatchSize?: number };
}

/** Summed durations of storage calls, per storage instance (collection or RxDB meta instance). */
export type StorageProfile = Record<string, Record<string, { calls: number; docs: number; ms: number }>>;

export interface PullFigures {
  docs: number;
  seconds: number;
  docsPerSecond: number;
  requests: number;
  /** Sum over pull requests of request start → response headers (server query + first byte). */
  fetchMs: number;
  /** Sum over pull requests of body download + JSON.parse. */
  jsonMs: number;
  storage: StorageProfile;
  /** Which storage kept the products (renderer/data/database.ts routes them). */
  productStorage: 'memory-mapped' | 'Dexie';
}

export interface RawDexieFigures {
  docs: number;
  /** bulkPut in chunks of the pull batch size, one transaction each: what a pull could at best do. */
  chunked: { seconds: number; docsPerSecond: number; chunk: number };
  /** Chunked like `chunked`, in RxDB's Dexie layout (its indexes and fields) with its read-before-write. */
  rxdbLayout: { seconds: number; docsPerSecond: number; chunk: number };
  /** Chunked like `chunked`, primary key only: the layout of the catalogue's memory-mapped storage. */
  keyOnly: { seconds: number; docsPerSecond: number; chunk: number };
  /** One bulkPut of every document in a single transaction. */
  single: { seconds: number; docsPerSecond: number };
}

/** Opening a device that already holds the catalogue, up to a built product index. */
export interface ReopenFigures {
  docs: number;
  /** createDatabase, which reads the catalogue into memory. */
  openMs: number;
  /** find() of every product. */
  readMs: number;
  /** Building the product index from them. */
  indexMs: number;
  totalMs: number;
  /**
   * JS heap the open database and the catalogue retain: after minus before, each after a full GC
   * (Chromium only), in a page that did nothing before (see BenchApi.reopen).
   */
  heapMb: number | null;
  /** The page's whole JS heap at that moment (after a full GC): the renderer's, with the sale screen's core open. */
  heapTotalMb: number | null;
  /** Products searches still check one by one (changes the catalogue's index has not taken in). */
  pendingIndex: number;
  lookups: SaleScreenLookups;
  sales: SaleScreenSales;
}

/** Sample timings in ms. */
export interface Timing {
  samples: number;
  p50: number;
  p95: number;
  max: number;
}

export interface SaleScreenLookups {
  /** findByCode of a whole barcode (a scanner read). */
  barcode: Timing;
  /** One search for the screen's suggestions per keystroke: barcodes digit by digit, words letter by letter. */
  keystroke: Timing;
}

export interface SaleScreenSales {
  /** pos.recordSale: the sale, its stock effects and audit event written offline. */
  record: Timing;
}

/** A price change of many products on the server until the last of them is in the open device's catalogue. */
export interface PriceChangeFigures {
  products: number;
  /** First batch POST sent → the last changed price in the catalogue, ms (null: not within the phase's bound, see `error`). */
  ms: number | null;
  /** The server's answers to the batch POSTs, summed, ms. */
  serverMs: number | null;
  error?: string;
}

export interface UploadFigures {
  docs: number;
  /** Local RxDB bulkInsert while not syncing (not part of the upload time). */
  offlineWriteSeconds: number;
  /** Sync restarted → the server acknowledged the last of the rows (push answered without conflict). */
  seconds: number;
  /** Sync restarted → `sendNow()` resolved; null when it had not within the phase's bound. */
  sendNowSeconds: number | null;
  acknowledgedRows: number;
  docsPerSecond: number;
  requests: number;
  fetchMs: number;
  pendingAfter: number;
  timeline: { path: string; at: number; ms: number }[];
  storage: StorageProfile;
  /** The engine's status changes during the upload (ms since start). */
  statusLog: string[];
}

export interface LatencyFigures {
  changes: number;
  /** PUT sent → change event in the local RxDB collection, ms. */
  p50: number;
  p95: number;
  max: number;
  mean: number;
  /** PUT sent → PUT answered, ms (the server's own write time plus loopback). */
  putP50: number;
  putP95: number;
  timeouts: number;
  putVia: 'direct' | 'same-origin proxy';
}

export interface BenchApi {
  initialPull(session: DeviceSession, expected: number): Promise<PullFigures>;
  rawDexie(session: DeviceSession, expected: number, chunk: number): Promise<RawDexieFigures>;
  offlineUpload(session: DeviceSession, count: number, sendNowLimitMs: number): Promise<UploadFigures>;
  latency(session: DeviceSession, changes: number, timeoutMs: number): Promise<LatencyFigures>;
  /** Stops the device's sync and closes its database; answers the database's name, for reopen(). */
  close(): Promise<string>;
  /**
   * Phase 5, in a fresh page as a cashier's app start is (a new renderer): opens the device database
   * `name` that close() left, then removes it.
   */
  reopen(name: string, expected: number, session: DeviceSession, lookups: number, sales: number): Promise<ReopenFigures>;
  /** While the device syncs: `count` products get a new price on the server (batches of 1,000). */
  priceChange(session: DeviceSession, count: number, timeoutMs: number): Promise<PriceChangeFigures>;
}

declare global {
  interface Window {
    bench?: BenchApi;
  }
}
