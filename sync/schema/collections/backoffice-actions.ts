import type { CollectionSchema } from '../json-schema.ts';
import { calendarDate, id, instant, reasonText, reference } from '../common-fields.ts';
import { CONTRACT_ACTION_KINDS, type ContractActionKind } from './backoffice.ts';

/**
 * Contract transitions asked for by the back office (BO-03): activate, deactivate, suspend, resume,
 * cancel. Each request is a document the device writes, also offline, and uploads like any other; the
 * server applies it in the push transaction with the transition table of sync/rules/contract-state.ts
 * and appends who/when/why to the contract's history, or keeps it in quarantine with the reason (e.g.
 * suspending a contract another device cancelled meanwhile). Immutable once received.
 */
export const backofficeActionSchema = {
  title: 'backofficeActions',
  description: 'Requests of the back office to change a contract state (BO-03); immutable once written.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id,
    kind: { type: 'string', enum: CONTRACT_ACTION_KINDS, maxLength: 12 },
    contractId: reference,
    userId: reference,
    /** Device time, for display and audit only. */
    requestedAt: instant,
    /** Why; required for cancel, suspend and deactivate. */
    reason: reasonText,
    /** cancel: the day from which the contract is cancelled (default: the day the server applies it). */
    effectiveDate: calendarDate,
  },
  required: ['id', 'kind', 'contractId', 'userId', 'requestedAt'],
  indexes: ['requestedAt'],
} as const satisfies CollectionSchema;

export interface BackofficeAction {
  id: string;
  kind: ContractActionKind;
  contractId: string;
  userId: string;
  requestedAt: string;
  reason?: string;
  effectiveDate?: string;
}
