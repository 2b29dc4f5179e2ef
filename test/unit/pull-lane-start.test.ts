import { describe, expect, it } from 'vitest';
import type { RxCollection } from 'rxdb';
import { PullLane } from '../../sync/client/pull-lane.ts';
import type { Checkpoint, PullResponse } from '../../sync/schema/index.ts';

/**
 * A lane's start (issue 16): its stored checkpoint is trusted when the collection holds live documents,
 * known from a count, without asking the storage for its oldest change, which the catalogue's storage
 * answers only by reading every stored document (1,000,000 at scale).
 */
function lane(live: number, oldest: unknown[]) {
  const calls = { oldest: 0, from: [] as (number | undefined)[] };
  const collection = {
    count: () => ({ exec: async () => live }),
    storageInstance: {
      getChangedDocumentsSince: async () => {
        calls.oldest++;
        return { documents: oldest, checkpoint: { id: '', lwt: 0 } };
      },
    },
  } as unknown as RxCollection;
  const pullLane = new PullLane({
    name: 'products',
    collection,
    batchSize: 10,
    state: { loadCheckpoint: async () => ({ seq: 42 }), saveCheckpoint: async () => undefined, loadLastSyncAt: async () => null, saveLastSyncAt: async () => undefined },
    fetchPage: async (checkpoint: Checkpoint | undefined): Promise<PullResponse> => {
      calls.from.push(checkpoint?.seq);
      return { documents: [], checkpoint: checkpoint ?? null } as unknown as PullResponse;
    },
    isValid: () => true,
    onStored: () => undefined,
    onError: (error) => {
      throw error;
    },
    retryWait: async () => undefined,
    isStopped: () => false,
  });
  return { pullLane, calls };
}

describe('a pull lane starting on a stored checkpoint', () => {
  it('POS-03 with live documents stored it goes on from its checkpoint without reading the oldest stored change', async () => {
    const { pullLane, calls } = lane(1_000_000, []);
    pullLane.pull();
    await pullLane.caughtUpOnce;
    expect(calls.from).toEqual([42]);
    expect(calls.oldest).toBe(0);
  });

  it('POS-03 with only tombstones stored it still goes on from its checkpoint; with nothing stored it pulls from the start', async () => {
    const tombstonesOnly = lane(0, [{ id: 'p-1', _deleted: true }]);
    tombstonesOnly.pullLane.pull();
    await tombstonesOnly.pullLane.caughtUpOnce;
    expect(tombstonesOnly.calls.from).toEqual([42]);
    expect(tombstonesOnly.calls.oldest).toBe(1);
    const empty = lane(0, []);
    empty.pullLane.pull();
    await empty.pullLane.caughtUpOnce;
    expect(empty.calls.from).toEqual([undefined]);
  });
});
