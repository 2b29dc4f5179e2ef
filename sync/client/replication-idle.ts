import { filter, firstValueFrom } from 'rxjs';
import type { RxReplicationState } from 'rxdb/plugins/replication';

/**
 * Resolves when RxDB's upstream of `replication` has nothing left to send: its first round is done, the
 * writes made so far have reached it (database idle) and no round runs. RxDB's awaitInSync makes the
 * same test for both directions; "send now" needs the upstream alone, to pull only after it.
 */
export async function awaitUpstreamIdle<Doc, Checkpoint>(replication: RxReplicationState<Doc, Checkpoint>): Promise<void> {
  await replication.startPromise;
  const state = replication.internalReplicationState;
  if (!state) return;
  await firstValueFrom(state.firstSyncDone.up.pipe(filter(Boolean)));
  for (;;) {
    await replication.collection.database.requestIdlePromise();
    const round = state.streamQueue.up;
    await round;
    // A round queued meanwhile (a write during the last one) is awaited too.
    if (round === state.streamQueue.up) return;
  }
}

/**
 * Resolves when RxDB's downstream has stored what was handed to it so far (live changes, pulls). A
 * RESYNC queued behind live changes that RxDB takes in the same pass is dropped by RxDB (17.x,
 * replication-protocol/downstream.js), so "send now" asks for its pull only once they are stored.
 */
export async function awaitDownstreamIdle<Doc, Checkpoint>(replication: RxReplicationState<Doc, Checkpoint>): Promise<void> {
  await replication.startPromise;
  const state = replication.internalReplicationState;
  if (!state) return;
  // RxDB queues a handed change a promise tick later (after checking that no upload round runs).
  await new Promise((resolve) => setTimeout(resolve, 0));
  for (;;) {
    const queue = state.streamQueue.down;
    await queue;
    if (queue === state.streamQueue.down) return;
  }
}
