/**
 * Where the catalogue's index is built: in a Worker where the page has them (the app, the bench), in
 * the caller's thread otherwise (Node tests) or when the Worker fails (the build then still happens,
 * only on the page's thread).
 */
import { buildIndex, type BuildInput, type BuildOutput } from './catalogue-build.ts';

/** Builds an index asynchronously. Resolves with the output; rejects only when even the in-thread build throws. */
export type IndexBuilder = (input: BuildInput) => Promise<BuildOutput>;

/** In this thread, after the current task (callers see the same asynchronous shape as with a Worker). */
export const inThreadBuilder: IndexBuilder = (input) => new Promise((resolve, reject) => setTimeout(() => {
  try {
    resolve(buildIndex(input));
  } catch (error) {
    reject(error instanceof Error ? error : new Error(String(error)));
  }
}, 0));

/** A Worker of its own per build (Vite bundles catalogue-worker.ts as a file, allowed by `script-src 'self'`). */
export const workerBuilder: IndexBuilder = (input) => {
  let worker: Worker;
  try {
    worker = new Worker(new URL('./catalogue-worker.ts', import.meta.url), { type: 'module' });
  } catch {
    return inThreadBuilder(input);
  }
  return new Promise<BuildOutput>((resolve) => {
    worker.onmessage = (event: MessageEvent<BuildOutput>) => {
      worker.terminate();
      resolve(event.data);
    };
    worker.onerror = (event) => {
      event.preventDefault();
      worker.terminate();
      console.warn('the catalogue index worker failed; building in the page', event.message);
      resolve(inThreadBuilder(input));
    };
    // The slot list is copied, not transferred: the in-thread fallback may still need it.
    worker.postMessage(input);
  });
};

/** The builder a new catalogue uses. */
export function defaultBuilder(): IndexBuilder {
  return typeof Worker === 'undefined' ? inThreadBuilder : workerBuilder;
}
