// The spreadsheet reader thread's entry (xlsx-reader.ts): Node 20 passes no loader to a worker, so the
// thread registers tsx itself, as the server runs, then loads its TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('./xlsx-read-worker.ts');
