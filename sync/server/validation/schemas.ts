import { COLLECTIONS, type CollectionName, type JsonSchema } from '../../schema/index.ts';

// Keywords only RxDB understands; ajv (strict) and OpenAPI must not see them.
const RXDB_ONLY = new Set(['primaryKey', 'version', 'indexes', 'encrypted', 'keyCompression', 'attachments', 'internalIndexes']);

/** The collection's document as a plain JSON Schema, written once in sync/schema. */
export function documentSchema(collection: CollectionName): JsonSchema {
  const source = COLLECTIONS[collection].schema as unknown as Record<string, unknown>;
  return Object.fromEntries(Object.entries(source).filter(([key]) => !RXDB_ONLY.has(key))) as JsonSchema;
}

/** A document on the wire: the same fields plus `_deleted`. */
export function wireDocumentSchema(collection: CollectionName): JsonSchema {
  const schema = documentSchema(collection);
  return { ...schema, properties: { ...schema.properties, _deleted: { type: 'boolean' } }, required: [...(schema.required ?? []), '_deleted'] };
}

export function pushBodySchema(collection: CollectionName, maxRows: number): JsonSchema {
  const wire = wireDocumentSchema(collection);
  return {
    type: 'array',
    maxItems: maxRows,
    items: {
      type: 'object',
      additionalProperties: false,
      properties: { newDocumentState: wire, assumedMasterState: { ...wire, type: ['object', 'null'] } as unknown as JsonSchema },
      required: ['newDocumentState'],
    },
  };
}
