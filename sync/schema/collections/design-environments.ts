import type { CollectionSchema } from '../json-schema.ts';
import { cents, id, instant, reference, shortText } from '../common-fields.ts';

export const ENVIRONMENT_STATUSES = ['creating', 'ready', 'failed'] as const;
export const ENVIRONMENT_STAGES = ['negotiating', 'converted', 'reviewing', 'reviewed'] as const;
export const ITEM_ORIGINS = ['design', 'manual'] as const;

const quantity = { type: 'integer', minimum: 1, maximum: 1_000_000 } as const;

/** A budget line: from the design software (replaced on every update) or added by hand (kept, DES-09). */
const budgetItem = {
  type: 'object',
  additionalProperties: false,
  properties: {
    id,
    origin: { type: 'string', enum: ITEM_ORIGINS, maxLength: 8 },
    /** The design catalogue's code; matched to the store's product by sku when it exists. */
    code: { type: 'string', maxLength: 60 },
    productId: reference,
    description: { ...shortText, minLength: 1 },
    quantity,
    unitPriceCents: cents,
    discountCents: cents,
    totalCents: cents,
    supplier: { type: 'string', maxLength: 100 },
  },
  required: ['id', 'origin', 'description', 'quantity', 'unitPriceCents', 'discountCents', 'totalCents'],
} as const;

/**
 * Version 1 added the budget's `revision` and each version's `budgetRevision` (DES-11: an approval
 * names the budget it approves). A version-0 document is valid unchanged; an absent revision reads as 0.
 */
export const designEnvironmentSchema = {
  title: 'designEnvironments',
  description:
    'Environments (ambientes) of a design project with their versions and budget (DES-04..14, DES-16). ' +
    'Written only by the server; a device changes them through designActions.',
  version: 1,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id,
    projectId: reference,
    name: { ...shortText, minLength: 1 },
    /** Creation runs in the background (DES-04): creating → ready (or failed, with the reason). */
    status: { type: 'string', enum: ENVIRONMENT_STATUSES, maxLength: 10 },
    failure: { type: 'string', maxLength: 500 },
    /** The design software's id of the environment. */
    designEnvironmentId: { type: 'string', maxLength: 64 },
    stage: { type: 'string', enum: ENVIRONMENT_STAGES, maxLength: 12 },
    /** Highest revision the design software announced (DES-05); newer than the newest version = outdated (DES-07). */
    latestDesignRevision: { type: 'integer', minimum: 0, maximum: 1_000_000_000 },
    /** What the latest announced save holds, so the designer sees what an update changes item by item. */
    latestSave: {
      type: 'object',
      additionalProperties: false,
      properties: {
        designRevision: { type: 'integer', minimum: 0, maximum: 1_000_000_000 },
        designId: { type: 'string', maxLength: 64 },
        optionName: shortText,
        savedAt: instant,
        items: { type: 'array', maxItems: 5000, items: budgetItem },
      },
      required: ['designRevision', 'designId', 'optionName', 'savedAt', 'items'],
    },
    versions: {
      type: 'array',
      maxItems: 1000,
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          id,
          number: { type: 'integer', minimum: 1, maximum: 100_000 },
          optionName: shortText,
          importedAt: instant,
          importedBy: reference,
          designId: { type: 'string', maxLength: 64 },
          designRevision: { type: 'integer', minimum: 0, maximum: 1_000_000_000 },
          /** The conversion mark (DES-12). */
          convertedAt: instant,
          /** Imported after the conversion: flagged for the reviewer (DES-13). */
          afterConversion: { type: 'boolean' },
          /** The budget's revision this import produced (budget.revision then); absent on versions imported before version 1 (0). */
          budgetRevision: { type: 'integer', minimum: 0, maximum: 1_000_000_000 },
        },
        required: ['id', 'number', 'optionName', 'importedAt', 'designId', 'designRevision'],
      },
    },
    /** The budget of the newest version: design items plus items added by hand. */
    items: { type: 'array', maxItems: 5000, items: budgetItem },
    budget: {
      type: 'object',
      additionalProperties: false,
      properties: {
        subtotalCents: cents,
        discountCents: cents,
        totalCents: cents,
        paymentConditionId: reference,
        /** Store markup applied to design list prices, in basis points. */
        markupBp: { type: 'integer', minimum: 0, maximum: 100_000 },
        approvedVersionNumber: { type: 'integer', minimum: 1, maximum: 100_000 },
        approvedAt: instant,
        approvedBy: reference,
        /**
         * Goes up by one on every change of the items (a version imported, an item added or removed by
         * hand), so an approval can name the budget its approver saw (DES-11). Absent: 0.
         */
        revision: { type: 'integer', minimum: 0, maximum: 1_000_000_000 },
      },
      required: ['subtotalCents', 'discountCents', 'totalCents', 'markupBp'],
    },
    /** The last request the server refused for this environment, with the reason, so the UI says why (DES-11). */
    lastRefusal: {
      type: 'object',
      additionalProperties: false,
      properties: { actionId: reference, at: instant, code: { type: 'string', maxLength: 40 }, message: { type: 'string', maxLength: 500 } },
      required: ['actionId', 'at', 'code', 'message'],
    },
    /** Technical assistance occurrence (DES-16): "<original> ocorrência: N". */
    occurrence: {
      type: 'object',
      additionalProperties: false,
      properties: {
        ofEnvironmentId: reference,
        number: { type: 'integer', minimum: 1, maximum: 10_000 },
        source: { type: 'string', enum: ['manual', 'blank', 'copy'], maxLength: 8 },
      },
      required: ['ofEnvironmentId', 'number', 'source'],
    },
    reviewFinishedAt: instant,
    createdAt: instant,
    updatedAt: instant,
  },
  required: ['id', 'projectId', 'name', 'status', 'stage', 'latestDesignRevision', 'versions', 'items', 'budget', 'createdAt', 'updatedAt'],
  indexes: ['projectId'],
} as const satisfies CollectionSchema;

export interface DesignBudgetItem {
  id: string;
  origin: (typeof ITEM_ORIGINS)[number];
  code?: string;
  productId?: string;
  description: string;
  quantity: number;
  unitPriceCents: number;
  discountCents: number;
  totalCents: number;
  supplier?: string;
}

export interface DesignVersion {
  id: string;
  number: number;
  optionName: string;
  importedAt: string;
  importedBy?: string;
  designId: string;
  designRevision: number;
  convertedAt?: string;
  afterConversion?: boolean;
  budgetRevision?: number;
}

export interface DesignEnvironmentDoc {
  id: string;
  projectId: string;
  name: string;
  status: (typeof ENVIRONMENT_STATUSES)[number];
  failure?: string;
  designEnvironmentId?: string;
  stage: (typeof ENVIRONMENT_STAGES)[number];
  latestDesignRevision: number;
  latestSave?: { designRevision: number; designId: string; optionName: string; savedAt: string; items: DesignBudgetItem[] };
  versions: DesignVersion[];
  items: DesignBudgetItem[];
  budget: {
    subtotalCents: number;
    discountCents: number;
    totalCents: number;
    paymentConditionId?: string;
    markupBp: number;
    approvedVersionNumber?: number;
    approvedAt?: string;
    approvedBy?: string;
    revision?: number;
  };
  lastRefusal?: { actionId: string; at: string; code: string; message: string };
  occurrence?: { ofEnvironmentId: string; number: number; source: 'manual' | 'blank' | 'copy' };
  reviewFinishedAt?: string;
  createdAt: string;
  updatedAt: string;
}
