/**
 * Building the catalogue's search index (renderer/data/catalogue-index.ts) from its text columns: a pure
 * function over plain arrays, so it runs in a Worker (catalogue-worker.ts) as well as in the page. At
 * 1,000,000 products it costs seconds (sorting a million names and grouping their words): in the page
 * that froze the sale screen (issue 16), in a Worker the page goes on answering with the index it has.
 */

/** Lower case, accents removed, trimmed: what search compares. */
export function normalize(text: string): string {
  // Most codes and many names are printable ASCII: no decomposition to undo (a third of a rebuild's time).
  if (ASCII.test(text)) return text.toLowerCase().trim();
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().trim();
}

const ASCII = /^[ -~]*$/;

/** The words of a normalized text: runs of letters and digits. */
export function words(normalized: string): string[] {
  return normalized.split(/[^\p{L}\p{N}]+/u).filter(Boolean);
}

/**
 * Orders names like a pt-BR collator with numeric ordering (accents and case ignored, "Item 9" before
 * "Item 10"), as a plain string compare: each run of digits is prefixed by a character that grows with
 * its length. Sorting 1,000,000 names with Intl.Collator costs seconds; this, a fraction.
 */
export function sortKey(name: string, id: string): string {
  return keyOfNormalized(normalize(name), id);
}

function keyOfNormalized(normalized: string, id: string): string {
  return `${normalized.replace(/\d+/g, (digits) => String.fromCharCode(0x21 + Math.min(digits.length, 60)) + digits)}\u0000${id}`;
}

/** Separates vocabulary words in one string (words hold letters and digits only). */
export const VOCABULARY_SEPARATOR = '\n';

/** The live products to index: `slots[i]` is the slot of the product whose columns are at position i. */
export interface BuildInput {
  slots: Int32Array;
  ids: string[];
  names: string[];
  skus: string[];
  barcodes: string[];
}

/** The index over those products, in slot numbers; typed arrays and one string, so a Worker transfers it. */
export interface BuildOutput {
  /** rank → slot, in name order. */
  rankSlots: Int32Array;
  /** Sorted distinct name words joined by VOCABULARY_SEPARATOR; word i's ranks are postings[postingStarts[i] .. postingStarts[i + 1]). */
  vocabulary: string;
  postingStarts: Int32Array;
  postings: Int32Array;
  /** Slots sorted by normalized barcode and by normalized SKU. */
  byBarcode: Int32Array;
  bySku: Int32Array;
  /**
   * Slots sorted by id (code unit order): a snapshot keeps it so a reopen finds a product by id with a
   * binary search instead of first filling a Map of 1,000,000 ids. Absent from builders older than it.
   */
  byId?: Int32Array;
}

/** The typed arrays of an output, for a Worker's transfer list. */
export function transferables(output: BuildOutput): ArrayBuffer[] {
  const arrays = [output.rankSlots, output.postingStarts, output.postings, output.byBarcode, output.bySku];
  if (output.byId) arrays.push(output.byId);
  return arrays.map((array) => array.buffer as ArrayBuffer);
}

/** Sorts by name (sortKey order), groups name words, sorts codes. Linear but for the sorts. */
export function buildIndex(input: BuildInput): BuildOutput {
  const count = input.slots.length;
  // Each name is normalized once: for its sort key and for its words.
  const normalizedNames = new Array<string>(count);
  const keys = new Array<string>(count);
  for (let i = 0; i < count; i++) {
    normalizedNames[i] = normalize(input.names[i]!);
    keys[i] = keyOfNormalized(normalizedNames[i]!, input.ids[i]!);
  }
  const order = Array.from({ length: count }, (_, i) => i).sort((a, b) => (keys[a]! < keys[b]! ? -1 : 1));
  const rankSlots = Int32Array.from(order, (i) => input.slots[i]!);
  const byWord = new Map<string, number[]>();
  for (let rank = 0; rank < count; rank++) {
    for (const word of words(normalizedNames[order[rank]!]!)) {
      const list = byWord.get(word);
      // A word twice in one name is listed once (ranks arrive in order).
      if (!list) byWord.set(word, [rank]);
      else if (list[list.length - 1] !== rank) list.push(rank);
    }
  }
  const vocabulary = [...byWord.keys()].sort();
  const postingStarts = new Int32Array(vocabulary.length + 1);
  let total = 0;
  for (let i = 0; i < vocabulary.length; i++) {
    postingStarts[i] = total;
    total += byWord.get(vocabulary[i]!)!.length;
  }
  postingStarts[vocabulary.length] = total;
  const postings = new Int32Array(total);
  for (let i = 0; i < vocabulary.length; i++) postings.set(byWord.get(vocabulary[i]!)!, postingStarts[i]!);
  return {
    rankSlots,
    vocabulary: vocabulary.join(VOCABULARY_SEPARATOR),
    postingStarts,
    postings,
    byBarcode: sortedBy(input.slots, input.barcodes),
    bySku: sortedBy(input.slots, input.skus),
    byId: sortedIds(input.slots, input.ids),
  };
}

/** Slots by raw id, compared as `<` compares strings (what CatalogueIndex's binary search assumes). */
export function sortedIds(slots: Int32Array, ids: readonly string[]): Int32Array {
  const order = Array.from({ length: slots.length }, (_, i) => i).sort((a, b) => (ids[a]! < ids[b]! ? -1 : ids[a]! > ids[b]! ? 1 : 0));
  return Int32Array.from(order, (i) => slots[i]!);
}

function sortedBy(slots: Int32Array, values: readonly string[]): Int32Array {
  const keys = values.map(normalize);
  const order = Array.from({ length: slots.length }, (_, i) => i).sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0));
  return Int32Array.from(order, (i) => slots[i]!);
}
