import { COLLECTION_NAMES, QUARANTINE_REASONS, type CollectionName } from '../../schema/index.ts';
import { wireDocumentSchema } from '../validation/schemas.ts';

/**
 * Response schemas shared by the replication and integration routes, for the OpenAPI document and
 * the tests that check every answer against it.
 */

/** `{ documents, checkpoint, resync? }`: a page of changes in sequence order, deletions included. */
export function changesPageSchema(collection: CollectionName) {
  return {
    type: 'object',
    description: 'Changed documents in sequence order; deletions as `_deleted: true`',
    properties: {
      documents: { type: 'array', items: wireDocumentSchema(collection) },
      checkpoint: { type: 'object', properties: { seq: { type: 'integer', minimum: 0 }, epoch: { type: 'string' } }, required: ['seq', 'epoch'] },
      resync: { type: 'boolean', description: 'The checkpoint was from another history of the server: this page starts from the beginning' },
    },
    required: ['documents', 'checkpoint'],
  } as const;
}

/** A quarantined document (integration error, POS-07). */
export const integrationErrorSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    collection: { type: 'string', enum: [...COLLECTION_NAMES] },
    documentId: { type: 'string' },
    stationId: { type: ['string', 'null'] },
    reason: { type: 'string', enum: [...QUARANTINE_REASONS] },
    message: { type: 'string' },
    document: { type: 'object', description: 'The refused version, as sent' },
    createdAt: { type: 'string', format: 'date-time' },
    attempts: { type: 'integer', minimum: 1 },
    resolvedAt: { type: ['string', 'null'], format: 'date-time' },
  },
  required: ['id', 'collection', 'documentId', 'stationId', 'reason', 'message', 'document', 'createdAt', 'attempts', 'resolvedAt'],
} as const;

/**
 * Serialises an answer as it is. For routes whose answers are stored documents: the schemas document
 * them and the tests check answers against them, while serialising through them would silently drop
 * a field a schema misses instead of letting a test see it.
 */
export const serializeAsIs = () => (data: unknown) => JSON.stringify(data);
