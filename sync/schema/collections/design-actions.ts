import type { CollectionSchema } from '../json-schema.ts';
import { cents, id, instant, reference, shortText } from '../common-fields.ts';

/**
 * What a designer or reviewer asks of a project. Each request is a document the device writes, also
 * offline, and uploads like any other; the server applies it in the same transaction that stores it,
 * or keeps it in quarantine with the reason (e.g. approving an outdated budget, DES-11), so a request
 * made offline meets exactly the guards an online one does, and nothing the user did is lost.
 */
export const DESIGN_ACTION_KINDS = [
  /** name, customerId */
  'createProject',
  /** projectId, legacyDesignProjectId (DES-15) */
  'linkLegacyProject',
  /** projectId, name (DES-04, runs in the background) */
  'createEnvironment',
  /** environmentId, designRevision: imports the announced save as a new version (DES-07..09) */
  'updateEnvironment',
  /** environmentId, item */
  'addItem',
  /** environmentId, itemId (hand-added items only) */
  'removeItem',
  /** environmentId, versionNumber, budgetRevision + budgetTotalCents (what the approver saw), paymentConditionId? (DES-11, DES-12) */
  'approveBudget',
  /** projectId (back office or admin, DES-13) */
  'releaseContract',
  /** projectId (reviewer, DES-13) */
  'startReview',
  /** projectId (reviewer, DES-14) */
  'finishReview',
  /** environmentId (of the reviewed environment), occurrenceSource (DES-16) */
  'createOccurrence',
] as const;
export type DesignActionKind = (typeof DESIGN_ACTION_KINDS)[number];

/**
 * Version 1 added `budgetRevision` and `budgetTotalCents` to approvals: the budget the approver saw, so
 * the server refuses an approval of a budget that changed since (DES-11). A version-0 request is valid
 * unchanged (budget-state.ts says how an approval without them is judged).
 */
export const designActionSchema = {
  title: 'designActions',
  description: 'Requests of designers, reviewers and the back office on design projects; immutable once written (DES-01..16).',
  version: 1,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id,
    kind: { type: 'string', enum: DESIGN_ACTION_KINDS, maxLength: 24 },
    userId: reference,
    /** Device time, for display and audit only. */
    requestedAt: instant,
    projectId: reference,
    environmentId: reference,
    /** createProject: the new project's id, chosen on the device so the UI can open it at once. */
    newId: reference,
    name: shortText,
    customerId: reference,
    legacyDesignProjectId: { type: 'string', maxLength: 64 },
    designRevision: { type: 'integer', minimum: 0, maximum: 1_000_000_000 },
    versionNumber: { type: 'integer', minimum: 1, maximum: 100_000 },
    /** approveBudget: the environment's budget.revision the approver saw (absent: 0). */
    budgetRevision: { type: 'integer', minimum: 0, maximum: 1_000_000_000 },
    /** approveBudget: the budget total the approver saw, in cents. */
    budgetTotalCents: cents,
    paymentConditionId: reference,
    itemId: reference,
    item: {
      type: 'object',
      additionalProperties: false,
      properties: {
        productId: reference,
        description: { ...shortText, minLength: 1 },
        quantity: { type: 'integer', minimum: 1, maximum: 1_000_000 },
        unitPriceCents: cents,
      },
      required: ['description', 'quantity', 'unitPriceCents'],
    },
    occurrenceSource: { type: 'string', enum: ['manual', 'blank', 'copy'], maxLength: 8 },
  },
  required: ['id', 'kind', 'userId', 'requestedAt'],
  indexes: ['requestedAt'],
} as const satisfies CollectionSchema;

export interface DesignAction {
  id: string;
  kind: DesignActionKind;
  userId: string;
  requestedAt: string;
  projectId?: string;
  environmentId?: string;
  newId?: string;
  name?: string;
  customerId?: string;
  legacyDesignProjectId?: string;
  designRevision?: number;
  versionNumber?: number;
  budgetRevision?: number;
  budgetTotalCents?: number;
  paymentConditionId?: string;
  itemId?: string;
  item?: { productId?: string; description: string; quantity: number; unitPriceCents: number };
  occurrenceSource?: 'manual' | 'blank' | 'copy';
}
