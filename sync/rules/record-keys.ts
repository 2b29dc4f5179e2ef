import { canonicalTaxId } from './tax-id.ts';

/**
 * The keys that identify a back-office record, one normalization per key, used by every rule that
 * makes a key unique (the server's guards, the device's forms) and by everything that finds a record by
 * it (spreadsheet imports on the device and through the API). Two spellings with the same key are the
 * same record everywhere, or nowhere.
 *
 * - `code` (a service's code, a contract's number): typed by people and read aloud, so "TEL", "tel"
 *   and " Tel " are one code: surrounding white space dropped, letters compared in upper case
 *   (`toUpperCase`, locale-independent, so a device in Turkish and the server agree).
 * - `externalId` (a consumption record's id in another system): that system decides what its ids
 *   are, and "a1" and "A1" may be two of its records, so only surrounding white space is dropped
 *   (a spreadsheet cell is read trimmed). A stored external id never has any: the rule refuses one
 *   (`externalIdProblem`), so the server's exact comparison in SQL is the key's comparison.
 * - `taxId` (a customer's CPF/CNPJ): its canonical form (digits and capital letters, no punctuation,
 *   check digits valid; `canonicalTaxId`), the form a customer stores.
 */
export type RecordKeyKind = 'code' | 'externalId' | 'taxId';

/**
 * The key of `value` as the kind's uniqueness rule compares it.
 *
 * @returns the normalized key; '' for a value that names nothing (blank, or a CPF/CNPJ that is not valid)
 */
export function recordKey(kind: RecordKeyKind, value: string): string {
  if (kind === 'code') return value.trim().toUpperCase();
  if (kind === 'externalId') return value.trim();
  return canonicalTaxId(value) ?? '';
}

/**
 * A lookup of records by a key field, normalized with `recordKey`: the index a spreadsheet import
 * (device and API) finds contracts, services, customers or consumption by. With two records of one key
 * (only possible in data stored before the rule), the first wins.
 */
export function keyIndex<T>(kind: RecordKeyKind, records: Iterable<T>, keyOf: (record: T) => string): (value: string) => T | undefined {
  const index = new Map<string, T>();
  for (const record of records) {
    const key = recordKey(kind, keyOf(record));
    if (key !== '' && !index.has(key)) index.set(key, record);
  }
  return (value) => {
    const key = recordKey(kind, value);
    return key === '' ? undefined : index.get(key);
  };
}

/** Whether `value` is taken by one of `taken` (a form's duplicate check), compared by key. */
export function keyTaken(kind: RecordKeyKind, value: string, taken: Iterable<string>): boolean {
  const key = recordKey(kind, value);
  if (key === '') return false;
  for (const other of taken) if (recordKey(kind, other) === key) return true;
  return false;
}

/**
 * An external id with white space around it is refused (every write path): a spreadsheet could never
 * name it (cells are read trimmed), and the key's comparison would differ from the stored text's.
 *
 * @returns an English message, or null when the id is fine
 */
export function externalIdProblem(externalId: string): string | null {
  return recordKey('externalId', externalId) === externalId ? null : `External id "${externalId}" begins or ends with a space; remove it and send again.`;
}
