import { describe, expect, it } from 'vitest';
import type { Checkpoint, PullResponse } from '../../sync/schema/index.ts';
import { pullWithoutEchoes } from '../../sync/client/echo-free-pull.ts';
import { StaleGuard, type StreamItem } from '../../sync/client/stale-guard.ts';

type Doc = Record<string, unknown>;
const doc = (id: string, name = id): Doc => ({ id, name, _deleted: false });

/** A server holding `docs` at sequence numbers 1…n, answering pages as the pull route does. */
function server(docs: Doc[]) {
  const requests: (number | undefined)[] = [];
  const pull = async (checkpoint: Checkpoint | undefined, limit: number): Promise<PullResponse> => {
    requests.push(checkpoint?.seq);
    const from = checkpoint?.seq ?? 0;
    const documents = docs.slice(from, from + limit) as PullResponse['documents'];
    return { documents, checkpoint: { seq: from + documents.length, epoch: 'e1' } };
  };
  return { pull, requests };
}

/** Echoes: documents equal to `own` (the device's acknowledged states), by id and content. */
const echoesOf = (own: Doc[]) => (documents: readonly Doc[]) => new Set(documents.filter((d) => own.some((o) => JSON.stringify(o) === JSON.stringify(d))));

describe('pull without the device’s own writes (sync/client/echo-free-pull.ts)', () => {
  it('POS-02 a page without echoes is answered as it came', async () => {
    const srv = server([doc('a'), doc('b')]);
    const page = await pullWithoutEchoes(srv.pull, echoesOf([]), undefined, 5);
    expect(page.documents.map((d) => d.id)).toEqual(['a', 'b']);
    expect(page.checkpoint).toEqual({ seq: 2, epoch: 'e1' });
  });

  it('POS-02 the device’s own writes are left out; a page of echoes only keeps its last document, so its checkpoint is stored', async () => {
    const own = [doc('a'), doc('b'), doc('c')];
    const mixed = await pullWithoutEchoes(server([doc('a'), doc('x'), doc('c')]).pull, echoesOf(own), undefined, 5);
    expect(mixed.documents.map((d) => d.id)).toEqual(['x']);
    expect(mixed.checkpoint?.seq).toBe(3);
    const echoes = await pullWithoutEchoes(server(own).pull, echoesOf(own), undefined, 5);
    expect(echoes.documents.map((d) => d.id)).toEqual(['c']);
    expect(echoes.checkpoint?.seq).toBe(3);
  });

  it('POS-02 a server state that differs from the acknowledged one is kept', async () => {
    const page = await pullWithoutEchoes(server([doc('a', 'changed on the server'), doc('b')]).pull, echoesOf([doc('a'), doc('b')]), undefined, 5);
    expect(page.documents.map((d) => d.name)).toEqual(['changed on the server']);
  });

  it('POS-02 a full page that lost echoes is topped up from the next pages, so RxDB (which stops at a short page) keeps pulling', async () => {
    const own = [doc('e1'), doc('e2'), doc('e3')];
    const srv = server([doc('e1'), doc('e2'), doc('x1'), doc('x2'), doc('e3'), doc('x3'), doc('x4'), doc('x5')]);
    const first = await pullWithoutEchoes(srv.pull, echoesOf(own), undefined, 3);
    expect(first.documents.map((d) => d.id)).toEqual(['x1', 'x2', 'x3']);
    expect(first.checkpoint?.seq).toBe(6);
    expect(srv.requests).toEqual([undefined, 3]);
    const second = await pullWithoutEchoes(srv.pull, echoesOf(own), first.checkpoint ?? undefined, 3);
    expect(second.documents.map((d) => d.id)).toEqual(['x4', 'x5']);
    // A run of echoes only, as long as several pages, ends in one short page with the last of them.
    const run = await pullWithoutEchoes(server(own).pull, echoesOf(own), undefined, 1);
    expect(run.documents.map((d) => d.id)).toEqual(['e3']);
    expect(run.checkpoint?.seq).toBe(3);
  });

  it('POS-02 a later page that starts over (another history) fails the pull instead of mixing two histories', async () => {
    const own = [doc('a')];
    let calls = 0;
    const pull = async (checkpoint: Checkpoint | undefined): Promise<PullResponse> => {
      calls++;
      return calls === 1 ? { documents: [doc('a')] as PullResponse['documents'], checkpoint: { seq: 1, epoch: 'e1' } } : { documents: [doc('z')] as PullResponse['documents'], checkpoint: { seq: 1, epoch: 'e2' }, resync: checkpoint !== undefined };
    };
    await expect(pullWithoutEchoes(pull, echoesOf(own), undefined, 1)).rejects.toThrow(/history/);
  });
});

describe('stream pages without the device’s own writes (StaleGuard)', () => {
  const acknowledge = (guard: StaleGuard, states: Doc[], seq: number) => {
    guard.pushStarted(states);
    guard.pushEnded(states, [], new Map(states.map((state) => [String(state.id), seq])));
  };

  it('POS-02 the stream’s echo of an upload reaches RxDB without the uploaded documents, keeping one per page for its checkpoint', () => {
    const emitted: StreamItem[] = [];
    const guard = new StaleGuard('id', (item) => emitted.push(item));
    acknowledge(guard, [doc('a'), doc('b'), doc('c')], 10);
    guard.stream({ documents: [doc('a'), doc('x'), doc('b')], checkpoint: { seq: 9 } } as StreamItem);
    guard.stream({ documents: [doc('c')], checkpoint: { seq: 10 } } as StreamItem);
    expect(emitted.map((item) => (item === 'RESYNC' ? item : item.documents.map((d) => d.id)))).toEqual([['x'], ['c']]);
  });

  it('POS-02 a server state that differs from the acknowledged one still goes to RxDB', () => {
    const emitted: StreamItem[] = [];
    const guard = new StaleGuard('id', (item) => emitted.push(item));
    acknowledge(guard, [doc('a')], 10);
    guard.stream({ documents: [doc('a', 'merged by the server')], checkpoint: { seq: 11 } } as StreamItem);
    expect(emitted).toEqual([{ documents: [doc('a', 'merged by the server')], checkpoint: { seq: 11 } }]);
  });
});

describe('the stream’s RESYNC on connect, with where each collection stood (StaleGuard.streamOpened)', () => {
  /** A guard whose lane was last handed `handed` (updated by every page it hands on, as start-sync.ts does). */
  const lane = (handed: Checkpoint | undefined) => {
    const emitted: StreamItem[] = [];
    const state = { handed };
    const guard = new StaleGuard(
      'id',
      (item) => {
        if (item !== 'RESYNC') state.handed = item.checkpoint;
        emitted.push(item);
      },
      (position) => state.handed?.seq === position.seq && state.handed.epoch === position.epoch,
    );
    return { guard, emitted };
  };

  it('POS-02 a lane handed exactly the checkpoint the stream opened at skips its pull; one behind, ahead or of another history pulls', () => {
    const at = lane({ seq: 40, epoch: 'e1' });
    at.guard.streamOpened({ seq: 40, epoch: 'e1' });
    expect(at.emitted).toEqual([]);
    for (const position of [{ seq: 41, epoch: 'e1' }, { seq: 39, epoch: 'e1' }, { seq: 40, epoch: 'e2' }]) {
      const other = lane({ seq: 40, epoch: 'e1' });
      other.guard.streamOpened(position);
      expect(other.emitted).toEqual(['RESYNC']);
    }
    // Nothing pulled yet: the lane cannot tell what it has.
    const fresh = lane(undefined);
    fresh.guard.streamOpened({ seq: 0, epoch: 'origin' });
    expect(fresh.emitted).toEqual(['RESYNC']);
  });

  it('POS-02 held behind an upload, the RESYNC on connect is judged where it arrived: pages handed after it do not make it skippable', () => {
    const { guard, emitted } = lane({ seq: 0, epoch: 'origin' });
    guard.upstreamActive(true);
    guard.streamOpened({ seq: 0, epoch: 'origin' });
    guard.stream({ documents: [doc('x')], checkpoint: { seq: 5, epoch: 'e1' } } as StreamItem);
    const behind = lane({ seq: 0, epoch: 'origin' });
    behind.guard.upstreamActive(true);
    behind.guard.stream({ documents: [doc('y')], checkpoint: { seq: 3, epoch: 'e1' } } as StreamItem);
    behind.guard.streamOpened({ seq: 5, epoch: 'e1' });
    guard.upstreamActive(false);
    behind.guard.upstreamActive(false);
    // At 0 when the stream opened at 0: skipped; the later page goes on.
    expect(emitted).toEqual([{ documents: [doc('x')], checkpoint: { seq: 5, epoch: 'e1' } }]);
    // Handed 3 when the stream opened at 5: it pulls.
    expect(behind.emitted.at(-1)).toBe('RESYNC');
  });
});
