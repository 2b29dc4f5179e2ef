import type { CollectionName, QuarantineReason } from '../../schema/index.ts';
import type { StoredDocument } from '../db/documents.ts';

/** Why the server keeps a well-formed document aside instead of applying it. */
export interface Refusal {
  reason: QuarantineReason;
  message: string;
}

export interface ReferenceRequest {
  collection: CollectionName;
  ids: string[];
  /**
   * Match `ids` against this field of the documents instead of their id (a JSON path such as
   * ['exchange', 'originalSaleId']): finds the documents that point at these ids.
   */
  field?: readonly string[];
}

/** Documents a batch refers to, loaded once per batch (set-based) before any rule runs. */
export type References = ReadonlyMap<CollectionName, ReadonlyMap<string, StoredDocument>>;

/**
 * A collection's business guard. `references` lists what `check` needs to look at, so a batch of
 * 2,000 sales costs one query per referenced collection rather than one per sale.
 */
export interface BusinessRule<Doc = Record<string, unknown>> {
  references?(doc: Doc): ReferenceRequest[];
  check(doc: Doc & { _deleted: boolean }, previous: StoredDocument | undefined, references: References): Refusal | null;
}
