/**
 * The production server entry (`npm run server`) in a child process the crash test can SIGKILL; it also
 * ends with the test process that started it (IPC disconnect), even when that process was killed.
 */
process.on('disconnect', () => process.kill(process.pid, 'SIGKILL'));
await import('../../../sync/server/node/main.ts');
export {};
