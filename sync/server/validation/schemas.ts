import { COLLECTIONS, type CollectionName, type JsonSchema } from '../../schema/index.ts';

// Keywords only RxDB understands; ajv (strict) and OpenAPI must not see them.
const RXDB_ONLY = new Set(['primaryKey', 'version', 'indexes', 'encrypted', 'keyCompression', 'attachments', 'internalIndexes']);

/**
 * Marks a time that names a planned date (registry `scheduledTimes`): the validator checks it is a
 * time PostgreSQL and JavaScript read, but not that it lies near the server's clock. An OpenAPI
 * extension, so the API document stays valid.
 */
export const SCHEDULED = 'x-scheduled';

function markScheduled(schema: JsonSchema, pointer: string): JsonSchema {
  if (pointer === '') return { ...schema, [SCHEDULED]: true } as JsonSchema;
  const [name = '', ...rest] = pointer.slice(1).split('/');
  const child = schema.properties?.[name];
  if (!child) throw new Error(`scheduledTimes names ${pointer}, which is not a field of the schema.`);
  return { ...schema, properties: { ...schema.properties, [name]: markScheduled(child, rest.length > 0 ? `/${rest.join('/')}` : '') } };
}

/** The collection's document as a plain JSON Schema, written once in sync/schema. */
export function documentSchema(collection: CollectionName): JsonSchema {
  const source = COLLECTIONS[collection].schema as unknown as Record<string, unknown>;
  const plain = Object.fromEntries(Object.entries(source).filter(([key]) => !RXDB_ONLY.has(key))) as JsonSchema;
  return (COLLECTIONS[collection].scheduledTimes ?? []).reduce(markScheduled, plain);
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
