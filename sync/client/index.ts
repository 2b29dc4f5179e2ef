export { startSync, type StartSyncOptions } from './start-sync.ts';
export { createApiClient, type ApiClient, type MeResponse } from './api.ts';
export { ApiError, type ApiErrorCode } from './api-error.ts';
export { conflictHandlerFor } from './conflict.ts';
export type { SyncEngine, SyncOptions, SyncStatus } from './types.ts';
export { migrationStrategiesFor } from './migrations.ts';
