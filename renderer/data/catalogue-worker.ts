/**
 * The Worker that builds the catalogue's search index off the page's thread (issue 16: seconds at
 * 1,000,000 products). One request (BuildInput), one reply (BuildOutput, its arrays transferred), then
 * the page ends the worker.
 */
import { buildIndex, transferables, type BuildInput } from './catalogue-build.ts';

const scope = self as unknown as { onmessage: ((event: MessageEvent<BuildInput>) => void) | null; postMessage(message: unknown, transfer: Transferable[]): void };

scope.onmessage = (event) => {
  const output = buildIndex(event.data);
  scope.postMessage(output, transferables(output));
};
