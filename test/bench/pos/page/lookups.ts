import { round } from '../../page/stats.ts';
import type { LookupFigures } from '../types.ts';
import type { Station } from './station.ts';
import { seeded, timing } from './timing.ts';

const WORDS = ['parafuso inox', 'tinta branco', 'chave premium', 'fita 12', 'lampada', 'torneira compacto'];

/** Scanner and typed lookups on the in-memory product index (100,000 products). */
export function lookups(station: Station, samples: number): LookupFigures {
  const { index, barcodes } = station;
  const random = seeded(7);
  const pick = () => barcodes[Math.floor(random() * barcodes.length)]!;

  const codes = Array.from({ length: samples }, pick);
  const byBarcode: number[] = [];
  for (const code of codes) {
    const started = performance.now();
    const found = index.findByCode(code);
    byBarcode.push(performance.now() - started);
    if (found?.barcode !== code) throw new Error(`barcode ${code} was not found in the index`);
  }
  const batchStarted = performance.now();
  for (const code of codes) index.findByCode(code);
  const byBarcodeMeanMicros = round(((performance.now() - batchStarted) * 1000) / codes.length, 2);

  // Scans over the whole index: fewer samples keep the phase short.
  const scans = Math.min(samples, 300);
  const whole: number[] = [];
  for (let i = 0; i < scans; i++) {
    const code = pick();
    const started = performance.now();
    const found = index.search(code);
    whole.push(performance.now() - started);
    if (found[0]?.barcode !== code) throw new Error(`search(${code}) did not put the scanned product first`);
  }
  const keystrokes: number[] = [];
  for (let i = 0; i < Math.ceil(scans / 12); i++) {
    const code = pick();
    for (let length = 2; length <= code.length; length++) {
      const started = performance.now();
      index.search(code.slice(0, length));
      keystrokes.push(performance.now() - started);
    }
  }
  const words: number[] = [];
  for (let i = 0; i < scans; i++) {
    const started = performance.now();
    index.search(WORDS[i % WORDS.length]!);
    words.push(performance.now() - started);
  }
  return {
    byBarcode: timing(byBarcode),
    byBarcodeMeanMicros,
    searchWholeBarcode: timing(whole),
    searchPerKeystroke: timing(keystrokes),
    searchWords: timing(words),
  };
}
