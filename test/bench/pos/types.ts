/** What the POS bench runner (Node) and its page (Chromium) exchange through `page.evaluate`. */
import type { DeviceSession } from '../types.ts';

export interface Timing {
  samples: number;
  /** Milliseconds (performance.now, which Chromium coarsens to 0.1 ms without cross-origin isolation). */
  p50: number;
  p95: number;
  max: number;
  mean: number;
}

export interface PrepareFigures {
  products: number;
  /** The device's initial pull of the catalogue through the sync client (context, not a POS figure). */
  pullSeconds: number;
  /** One full read of the products collection into the in-memory product index, as the core does at login. */
  indexSeconds: number;
  promotions: number;
}

export interface LookupFigures {
  /** `findByCode(barcode)`: what Enter after a scan does (hash lookup). */
  byBarcode: Timing;
  /** Mean of the same lookups timed as one batch, in microseconds (below the timer's resolution per call). */
  byBarcodeMeanMicros: number;
  /** `search(barcode)`: the suggestions the sale screen computes for the scanned code (a scan over the index). */
  searchWholeBarcode: Timing;
  /** `search(prefix)` for every prefix a scanner types (2…13 digits): the screen's cost per keystroke. */
  searchPerKeystroke: Timing;
  /** `search('<noun> <qualifier>')`: a cashier typing words. */
  searchWords: Timing;
}

export interface SalesFigures {
  sales: number;
  /** `pos.recordSale(draft)`: rules, the sale insert and its audit event in RxDB on IndexedDB. */
  record: Timing;
  /** The same measure over the first and the last 1,000 sales: does it slow down as sales pile up? */
  firstThousandP95: number;
  lastThousandP95: number;
  /** Sales where at least one promotion lowered a line. */
  withPromotion: number;
  lines: number;
  /** What the station says customers paid (payments incl. interest, minus change), to compare with the server. */
  paidCents: number;
  /** Units sold per product id, to check the server's stock. */
  soldByProduct: Record<string, number>;
}

export interface PosUploadFigures {
  sales: number;
  /** Sync restarted → the server acknowledged the last sale. */
  seconds: number;
  salesPerSecond: number;
  /** Sync restarted → `sendNow()` resolved (sales, audit events and anything else waiting). */
  allSeconds: number | null;
  acknowledged: Record<string, number>;
  requests: number;
  /** Sum over sales pushes of request → answer (the server's verification, stock effects and write); pushes may overlap. */
  salesPushMs: number;
  pendingAfter: number;
}

export interface PosBenchApi {
  prepare(session: DeviceSession, expectedProducts: number): Promise<PrepareFigures>;
  lookups(samples: number): Promise<LookupFigures>;
  recordSales(count: number): Promise<SalesFigures>;
  upload(expectedSales: number, limitMs: number): Promise<PosUploadFigures>;
  close(): Promise<void>;
}

declare global {
  interface Window {
    posBench?: PosBenchApi;
  }
}
