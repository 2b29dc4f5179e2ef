import { registerMutableWriteContext, type BulkWriteRow, type RxCollection, type RxDocumentData } from 'rxdb';
import type { WireDocument } from '../schema/index.ts';

/** Inserts are built here as fresh objects, so RxDB may stamp `_meta`/`_rev` on them in place. */
const INSERT_CONTEXT = 'balcao-pull-insert';
const UPDATE_CONTEXT = 'balcao-pull-update';
registerMutableWriteContext(INSERT_CONTEXT);

type Doc = Record<string, unknown>;

/**
 * Stores server documents as they are (the server's state wins for read-only collections) straight
 * through the collection's storage instance: one write for the documents the device lacks, one more for
 * those it already has (with the stored state as `previous`). No RxDocument objects are built, and
 * collection.$ still emits, since it listens to the storage's change stream.
 */
export async function writePulled(collection: RxCollection, documents: readonly WireDocument[]): Promise<void> {
  if (documents.length === 0) return;
  const primary = collection.schema.primaryPath as string;
  // One state per id (the newest), as a storage write may not touch a document twice.
  const byId = new Map<string, WireDocument>();
  for (const doc of documents) byId.set(doc[primary] as string, doc);
  const inserts: BulkWriteRow<Doc>[] = [];
  for (const doc of byId.values()) inserts.push({ document: { ...doc, _deleted: doc._deleted === true, _attachments: {} } as unknown as RxDocumentData<Doc> });
  let result = await collection.storageInstance.bulkWrite(inserts, INSERT_CONTEXT);
  for (let attempt = 0; result.error.length > 0; attempt++) {
    const updates: BulkWriteRow<Doc>[] = [];
    for (const error of result.error) {
      const stored = error.status === 409 ? (error as { documentInDb?: RxDocumentData<Doc> }).documentInDb : undefined;
      if (!stored || attempt >= 3) {
        throw new Error(`Could not store ${collection.name} document ${error.documentId} on this device (storage error ${error.status}). Restart the app; if it persists, free disk space.`);
      }
      const doc = byId.get(error.documentId)!;
      updates.push({
        previous: stored,
        document: { ...doc, _deleted: doc._deleted === true, _attachments: stored._attachments, _meta: stored._meta, _rev: stored._rev } as RxDocumentData<Doc>,
      });
    }
    result = await collection.storageInstance.bulkWrite(updates, UPDATE_CONTEXT);
  }
}
