/**
 * The production entry (`sync/server/node/main.ts`, what `npm run server` runs), plus one guard: the
 * server ends with the chaos run that started it, even when that run itself was killed or timed out.
 * SIGKILL still reaches the server process directly: this file runs in it.
 */
process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));
await import('../../sync/server/node/main.ts');
export {};
