import { COLLECTIONS, type CollectionName } from '../schema/index.ts';

/**
 * RxDB migration strategies for a collection (needs RxDB's migration-schema plugin, added where the
 * database is created). Every schema version so far only added optional fields (customers v1: contact
 * and deactivation fields, BO-01), so a stored document is valid as it is under the new version: each
 * step is the identity. A version that changes a field's meaning must add its own step here.
 */
export function migrationStrategiesFor(name: CollectionName): Record<number, (doc: unknown) => unknown> {
  const strategies: Record<number, (doc: unknown) => unknown> = {};
  for (let version = 1; version <= COLLECTIONS[name].schema.version; version++) strategies[version] = (doc) => doc;
  return strategies;
}
