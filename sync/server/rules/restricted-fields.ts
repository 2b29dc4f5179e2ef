import { restrictedFieldChanged, type CollectionName, type WireDocument } from '../../schema/index.ts';
import type { Writer } from '../auth/ownership.ts';
import type { StoredDocument } from '../db/documents.ts';
import type { Refusal } from './rule.ts';

/**
 * A document that sets or changes a field its writer's roles may not (sync/schema registry
 * `restrictedFields`: only the back office deactivates or reactivates a customer, BO-01), on every
 * write path: device push, quarantine retry, integration API. Refused by itself and kept with the
 * reason, like any refusal: the device shows it, and the rest of the batch is written.
 */
export function restrictedFieldRefusal(collection: CollectionName, doc: WireDocument, previous: StoredDocument | undefined, writer: Writer | 'server'): Refusal | null {
  if (writer === 'server') return null;
  const changed = restrictedFieldChanged(collection, writer.roles, doc, previous && !previous.deleted ? previous.data : undefined);
  if (changed === null) return null;
  return {
    reason: 'not_permitted',
    message: `${collection} ${String(doc.id)}: your role may not set or change field ${changed.field} (${changed.rule}). Undo that change and send it again, or ask someone whose role may.`,
  };
}

/** What the server stamps on a customer's deactivation (stampDeactivation): who, and when. */
export const DEACTIVATION_STAMP_FIELDS = ['deactivatedBy', 'deactivatedAt'] as const;

/**
 * BO-01: who deactivated a customer is whoever signed in to send the deactivation, never what the
 * document claims (`deactivatedBy`); when is the device's time of it (`deactivatedAt`, checked as any
 * device time), or the server's when missing. Returns `doc` itself when nothing needs stamping.
 */
export function stampDeactivation(collection: CollectionName, doc: WireDocument, previous: StoredDocument | undefined, writer: Writer | 'server'): WireDocument {
  if (collection !== 'customers' || writer === 'server' || doc._deleted || doc.active !== false) return doc;
  const before = previous && !previous.deleted ? previous.data : undefined;
  const unchanged = before?.active === false && before.deactivationReason === doc.deactivationReason && before.deactivatedAt === doc.deactivatedAt && before.deactivatedBy === doc.deactivatedBy;
  if (unchanged || (doc.deactivatedBy === writer.userId && typeof doc.deactivatedAt === 'string')) return doc;
  return { ...doc, deactivatedBy: writer.userId, deactivatedAt: typeof doc.deactivatedAt === 'string' ? doc.deactivatedAt : new Date().toISOString() };
}
