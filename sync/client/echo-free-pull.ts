import type { Checkpoint, PullResponse } from '../schema/index.ts';

type Doc = Record<string, unknown>;

/**
 * One pull page for RxDB without the device's own acknowledged writes (`echoesOf`, see
 * StaleGuard.echoesOf): after an upload the server's pages hold them, and RxDB would read each one's local
 * and acknowledged state only to find both equal (seconds after a 10,000-row import).
 *
 * RxDB stops pulling at a page shorter than `batchSize` and stores a checkpoint only with a document, so
 * a full page that lost echoes is topped up from the next pages (read from the server's checkpoint), and
 * a page of echoes only keeps its last document to carry the checkpoint. A page without echoes is
 * answered as it came.
 *
 * @throws Error when a later page starts over (`resync`: the server's history changed meanwhile); RxDB
 *   then pulls again from the checkpoint it stored.
 */
export async function pullWithoutEchoes(
  pull: (checkpoint: Checkpoint | undefined, batchSize: number) => Promise<PullResponse>,
  echoesOf: (documents: readonly Doc[]) => ReadonlySet<Doc>,
  checkpoint: Checkpoint | undefined,
  batchSize: number,
): Promise<PullResponse> {
  let response = await pull(checkpoint, batchSize);
  const kept: PullResponse['documents'] = [];
  let last: PullResponse['documents'][number] | undefined;
  for (let first = true; ; first = false) {
    const echoes = echoesOf(response.documents as Doc[]);
    if (first && echoes.size === 0) return response;
    for (const doc of response.documents) if (!echoes.has(doc as Doc)) kept.push(doc);
    last = response.documents.at(-1) ?? last;
    if (response.documents.length < batchSize || kept.length >= batchSize) break;
    const next = await pull(response.checkpoint ?? undefined, batchSize);
    if (next.resync) throw new Error('The server started its history over during a pull; pulling again.');
    response = next;
  }
  if (kept.length === 0 && last !== undefined) kept.push(last);
  return { ...response, documents: kept };
}
