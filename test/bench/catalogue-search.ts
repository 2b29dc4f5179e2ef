/**
 * The compact catalogue alone at scale (issue 16), without a server or a browser: `npx tsx
 * test/bench/catalogue-search.ts [products]` (default 1,000,000) fills a CatalogueIndex with the seeded
 * catalogue (sync/server/seed/catalogue.ts), builds its index, restores it from a snapshot as a reopen does
 * (`loadFromSnapshotMs`: from the snapshot's strings and arrays to the first barcode lookup, read by id, and
 * first two searches answered), and times barcode lookups and search per keystroke with the sale screen's own sampler
 * (test/bench/page/sale-screen.ts). Node runs the same V8 as Chromium; `npm run bench` measures the page.
 */
import { loadavg } from 'node:os';
import { CatalogueIndex } from '../../renderer/data/catalogue-index.ts';
import { inThreadBuilder } from '../../renderer/data/catalogue-builder.ts';
import { demoProduct } from '../../sync/server/seed/catalogue.ts';
import { lookupFigures } from './page/sale-screen.ts';

const products = Number(process.argv[2] ?? 1_000_000);
if (!Number.isInteger(products) || products <= 0 || products > 1_000_000) throw new Error(`products ${process.argv[2]} is not a whole number between 1 and 1,000,000`);
const groups = ['g-ferragens', 'g-pintura', 'g-eletrica'];
const seconds = (from: number) => Math.round(performance.now() - from) / 1000;

let started = performance.now();
const catalogue = new CatalogueIndex({ builder: inThreadBuilder });
for (let index = 1; index <= products; index++) catalogue.upsert(demoProduct('p', index, groups));
catalogue.dispose();
const fillSeconds = seconds(started);
started = performance.now();
catalogue.rebuild();
const rebuildSeconds = seconds(started);
const snapshot = structuredClone(catalogue.snapshot());
started = performance.now();
const reopened = CatalogueIndex.fromSnapshot(snapshot, { builder: inThreadBuilder });
const fromSnapshotMs = Math.round(performance.now() - started);
// A reopen is usable once a scan and a typed word answer: the first of each, from the snapshot bytes on.
const probe = demoProduct('p', Math.ceil(products / 2), groups);
started = performance.now();
if (reopened.findByCode(probe.barcode)?.id !== probe.id) throw new Error(`the reopened catalogue did not find ${probe.barcode}`);
// A sale line reads its product by id.
if (reopened.get(probe.id)?.barcode !== probe.barcode) throw new Error(`the reopened catalogue did not find ${probe.id}`);
const firstBarcodeMs = Math.round((performance.now() - started) * 100) / 100;
started = performance.now();
reopened.search('789', 24);
reopened.search('parafuso', 24);
const firstSearchMs = Math.round((performance.now() - started) * 100) / 100;
const loadFromSnapshotMs = fromSnapshotMs + firstBarcodeMs + firstSearchMs;
const lookups = lookupFigures(reopened, products, 10_000);
const figures = { products, fillSeconds, rebuildSeconds, fromSnapshotMs, firstBarcodeMs, firstSearchMs, loadFromSnapshotMs, barcode: lookups.barcode, keystroke: lookups.keystroke, load: loadavg().map((value) => Math.round(value * 100) / 100) };
process.stdout.write(`${JSON.stringify(figures, null, 2)}\nCommand: nice -n 19 npx tsx test/bench/catalogue-search.ts ${products}\n`);
