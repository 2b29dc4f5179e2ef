import { getChangedDocumentsSince, getLastCheckpointDoc } from 'rxdb';
import type { RxReplicationState } from 'rxdb/plugins/replication';

const PAGE = 5000;

/**
 * Local writes not yet acknowledged = documents the local storage changed since the upstream
 * checkpoint RxDB persisted in its meta storage. Derived from stored state, so it survives a reload
 * (an in-memory counter would forget offline writes). Pulled documents also pass the upstream
 * once, so the count briefly includes them until the upstream skips past them.
 */
export async function countPending(replication: RxReplicationState<Record<string, unknown>, { seq: number }>): Promise<number> {
  await replication.startPromise;
  const state = replication.internalReplicationState;
  if (!state) return 0;
  let checkpoint = await getLastCheckpointDoc<Record<string, unknown>, unknown>(state, 'up');
  let total = 0;
  for (;;) {
    const page = await getChangedDocumentsSince(state.input.forkInstance, PAGE, checkpoint);
    total += page.documents.length;
    if (page.documents.length < PAGE) return total;
    checkpoint = page.checkpoint;
  }
}
