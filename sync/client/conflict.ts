import type { RxConflictHandler } from 'rxdb';
import { deepEqual } from 'rxdb/plugins/utils';
import { COLLECTIONS, type CollectionName } from '../schema/index.ts';

/** Read-only master data: the device never has a legitimate version of its own, so the server wins. */
const serverWins: RxConflictHandler<unknown> = {
  isEqual: (a, b) => deepEqual(a, b),
  resolve: async (input) => input.realMasterState,
};

/**
 * Device-written data: the server has already validated and possibly quarantined or amended what it
 * holds, so its state wins. Deep-equal documents are not a conflict at all (a retried push of the
 * same state), which keeps retries from overwriting anything.
 */
const serverWinsUnlessEqual: RxConflictHandler<unknown> = {
  isEqual: (a, b) => deepEqual(a, b),
  resolve: async (input) => (deepEqual(input.newDocumentState, input.realMasterState) ? input.newDocumentState : input.realMasterState),
};

/** Pass as `conflictHandler` when adding the collection to the RxDB database. */
export function conflictHandlerFor<Doc = unknown>(name: CollectionName): RxConflictHandler<Doc> {
  return (COLLECTIONS[name].writeRoles.length === 0 ? serverWins : serverWinsUnlessEqual) as RxConflictHandler<Doc>;
}
