import type { RxCollection, RxStorage } from 'rxdb';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import type { ConsumptionRecord, ContractDoc, ServiceDoc } from '../../../../sync/schema/index.ts';
import { balcaoStorage, createDatabase } from '../../../../renderer/data/database.ts';
import { applyWrites, dryRunConsumption, matchSheet } from '../../../../renderer/core/backoffice/sheets/imports.ts';
import { readSheetFile, writeSheetFile } from '../../../../renderer/core/backoffice/sheets/sheets.ts';
import { startSync } from '../../../../sync/client/index.ts';
import type { ImportFigures, SheetsBenchApi, UploadStorage } from '../types.ts';

/**
 * The device's consumption import, as the screen runs it (renderer/ui/backoffice/SheetImport.tsx): the
 * app's database on its production storage (IndexedDB), the sheet worker, the dry run and the writes.
 */
const round = (value: number, digits = 3) => Math.round(value * 10 ** digits) / 10 ** digits;
const now = () => new Date().toISOString();

async function dryRun(db: Awaited<ReturnType<typeof createDatabase>>, file: File, contracts: ContractDoc[], services: ServiceDoc[]) {
  const started = performance.now();
  const sheet = await readSheetFile(file);
  const readSeconds = (performance.now() - started) / 1000;
  const match = matchSheet('consumption', sheet.header, {});
  if (match.missing.length) throw new Error(`columns missing: ${match.missing.join(', ')}`);
  const dry = await dryRunConsumption(db, sheet, match.mapping, { contracts, services, now: now(), newId: () => crypto.randomUUID() });
  return { dry, readSeconds, seconds: (performance.now() - started) / 1000 };
}

/** The storage of the experiment (see SheetsBenchApi): where RxDB's replication metadata, or everything, is kept. */
function storageFor(choice: UploadStorage): RxStorage<unknown, unknown> {
  const app = balcaoStorage();
  if (choice === 'app') return app;
  const memory = getRxStorageMemory() as unknown as RxStorage<unknown, unknown>;
  if (choice === 'memory') return memory;
  const meta = choice === 'meta-memory' ? memory : (getRxStorageDexie() as RxStorage<unknown, unknown>);
  return { ...app, createStorageInstance: (params) => (params.collectionName.startsWith('rx-replication-meta-') ? meta : app).createStorageInstance(params) };
}

/** The JS heap after a garbage collection (MB), when Chromium exposes both. */
function heapMb(): number | null {
  (window as unknown as { gc?: () => void }).gc?.();
  const used = (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize;
  return used === undefined ? null : used / 1024 / 1024;
}

const api: SheetsBenchApi = {
  async importConsumption(count, server, storage = 'app') {
    const db = await createDatabase(`sheets_bench_${Date.now()}`, ['backoffice'], storageFor(storage));
    const services: ServiceDoc[] = [{ id: 'svc-min', kind: 'service', code: 'MIN', name: 'Minutos', monthlyFeeCents: 1000, unit: 'min', unitPriceCents: 12, active: true, updatedAt: now() }];
    const contracts: ContractDoc[] = Array.from({ length: 50 }, (_, i) => ({ id: `ct-${i}`, kind: 'contract', code: `CT-${i}`, customerId: `cust-${i}`, startDate: '2026-01-01', billingDay: 10, state: 'active', history: [], lines: [{ id: `ct-${i}-l`, serviceId: 'svc-min', quantity: 1 }], updatedAt: now() }));
    await db.collections.backoffice!.bulkInsert([...services, ...contracts]);
    const rows = Array.from({ length: count }, (_, i) => [`EXT-${i}`, `CT-${i % 50}`, 'MIN', `${String(1 + (i % 28)).padStart(2, '0')}/10/2026`, 1 + (i % 500), `linha ${i}`]);
    const bytes = await writeSheetFile({ name: 'Consumo', header: ['ID externo', 'Contrato', 'Serviço', 'Data', 'Quantidade', 'Descrição'], rows });
    const file = new File([bytes as BlobPart], 'consumo.xlsx');

    // A 10 ms timer on the main thread: the largest gap between its ticks is how long the screen froze.
    const watchMainThread = () => {
      let last = performance.now();
      let longest = 0;
      const ticker = setInterval(() => {
        const at = performance.now();
        longest = Math.max(longest, at - last);
        last = at;
      }, 10);
      return () => {
        clearInterval(ticker);
        return Math.round(longest);
      };
    };
    const phase = (name: Parameters<NonNullable<typeof window.sheetsBenchPhase>>[0]) => window.sheetsBenchPhase?.(name);
    await phase('dryRun');
    let stopWatch = watchMainThread();
    const first = await dryRun(db, file, contracts, services);
    const longestDryRun = stopWatch();
    const collection = db.collections.consumption as unknown as RxCollection<ConsumptionRecord>;
    // The consumption screen is open during an import: its live, sorted list follows every write.
    let listed = 0;
    const screen = collection.find().$.subscribe((docs) => {
      listed = docs.map((doc) => doc.toJSON() as ConsumptionRecord).sort((a, b) => b.date.localeCompare(a.date) || b.updatedAt.localeCompare(a.updatedAt)).length;
    });
    await phase('import');
    stopWatch = watchMainThread();
    const importStarted = performance.now();
    const written = await applyWrites(collection, first.dry.writes);
    const importSeconds = (performance.now() - importStarted) / 1000;
    const longestImport = stopWatch();
    screen.unsubscribe();
    if (listed !== count) console.warn(`the live list showed ${listed} of ${count} records`);
    await phase('dryRunAgain');
    const again = await dryRun(db, file, contracts, services);
    // The upload, as the app does it: the sync client pushes what the import wrote.
    await phase('upload');
    // Each request's start and end (the gaps between them are the device's work: reading, recording).
    const uploadRequests: ImportFigures['uploadRequests'] = [];
    let uploadStarted = performance.now();
    const timedFetch: typeof fetch = async (input, init) => {
      const url = new URL(String(input));
      const rows = init?.method === 'POST' && typeof init.body === 'string' ? (JSON.parse(init.body) as unknown[]).length : 0;
      const startMs = performance.now() - uploadStarted;
      const answer = await fetch(input, init);
      // A stream's end is not this request's: only requests answered whole are timed.
      if (!url.pathname.endsWith('/stream')) await answer.clone().arrayBuffer();
      uploadRequests.push({ what: `${init?.method ?? 'GET'} ${url.pathname}`, rows, startMs: Math.round(startMs), endMs: Math.round(performance.now() - uploadStarted) });
      return answer;
    };
    const engine = startSync({ serverUrl: server.url, collections: { consumption: db.collections.consumption }, getToken: () => server.token, fetch: timedFetch });
    const heapBefore = heapMb();
    uploadStarted = performance.now();
    await engine.sendNow();
    const uploadSeconds = (performance.now() - uploadStarted) / 1000;
    const heapAfter = heapMb();
    await phase('done');
    if (engine.status.pendingUploads !== 0) throw new Error(`${engine.status.pendingUploads} records still pending after the upload`);
    await engine.stop();
    await db.remove();
    return {
      rows: count,
      fileBytes: bytes.byteLength,
      dryRunSeconds: round(first.seconds),
      readSeconds: round(first.readSeconds),
      importSeconds: round(importSeconds),
      longestImportGapMs: longestImport,
      uploadSeconds: round(uploadSeconds),
      uploadRequests,
      uploadHeapMb: heapBefore === null || heapAfter === null ? null : round(heapAfter - heapBefore, 1),
      dryRunAgainSeconds: round(again.seconds),
      written,
      errors: first.dry.errors.length,
      unchangedAgain: again.dry.unchanged,
      longestMainThreadGapMs: longestDryRun,
    };
  },
};

window.sheetsBench = api;
document.getElementById('state')!.textContent = 'pronto';
