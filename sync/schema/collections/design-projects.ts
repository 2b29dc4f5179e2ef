import type { CollectionSchema } from '../json-schema.ts';
import { id, instant, reference, shortText } from '../common-fields.ts';

/** What the project's history records (DES-12 marks the conversion in it). */
export const DESIGN_HISTORY_KINDS = [
  'created',
  'legacy_linked',
  'environment_created',
  'environment_failed',
  'version_imported',
  'approval_refused',
  'converted',
  'financially_released',
  'review_started',
  'review_finished',
  'purchase_orders_created',
  'occurrence_created',
  'design_change_refused',
  /** A request on the project (release, review…) the server refused; the note says why. */
  'action_refused',
] as const;
export type DesignHistoryKind = (typeof DESIGN_HISTORY_KINDS)[number];

/** The project's stage, derived by the server from its environments and contract (DES-12, DES-13). */
export const DESIGN_PROJECT_STAGES = ['negotiating', 'converted', 'released', 'reviewing', 'reviewed'] as const;
export type DesignProjectStage = (typeof DESIGN_PROJECT_STAGES)[number];

/**
 * Version 1 added `senderId` and `stationId` to history entries: who uploaded a request and from which
 * station, beside its author (`userId`), who may be another user of that station working offline
 * (DES-12, POS-16). A version-0 document is valid unchanged.
 */
export const designProjectSchema = {
  title: 'designProjects',
  description:
    'Store projects linked to the design software (DES-01..16). Written only by the server: devices ask ' +
    'for changes through designActions, so every guard runs in one place, also for offline requests.',
  version: 1,
  primaryKey: 'id',
  type: 'object',
  additionalProperties: false,
  properties: {
    id,
    name: { ...shortText, minLength: 1 },
    customerId: reference,
    /** The store user (designer) responsible for the project. */
    designerUserId: reference,
    /** The design software's id of the project; set once the portal created it or a legacy one was linked (DES-15). */
    designProjectId: { type: 'string', maxLength: 64 },
    legacy: { type: 'boolean' },
    stage: { type: 'string', enum: DESIGN_PROJECT_STAGES, maxLength: 12 },
    /** Contract created by the conversion; the back office releases it financially (DES-13). */
    contract: {
      type: 'object',
      additionalProperties: false,
      properties: {
        status: { type: 'string', enum: ['awaiting_release', 'released'], maxLength: 20 },
        convertedAt: instant,
        releasedAt: instant,
        releasedBy: reference,
      },
      required: ['status', 'convertedAt'],
    },
    /** The reviewer who opened the review first; their first access forces the update (DES-13). */
    reviewerUserId: reference,
    reviewStartedAt: instant,
    reviewFinishedAt: instant,
    history: {
      type: 'array',
      maxItems: 2000,
      items: {
        type: 'object',
        additionalProperties: false,
        properties: {
          at: instant,
          kind: { type: 'string', enum: DESIGN_HISTORY_KINDS, maxLength: 30 },
          environmentId: reference,
          versionNumber: { type: 'integer', minimum: 1, maximum: 100_000 },
          /** The request's author: who made it, also offline on a station another user uploads from. */
          userId: reference,
          /** The signed-in user whose session uploaded the request (absent: the server's own entry). */
          senderId: reference,
          /** The paired station the request was uploaded from (absent: a session without one). */
          stationId: reference,
          note: { type: 'string', maxLength: 500 },
        },
        required: ['at', 'kind'],
      },
    },
    createdAt: instant,
    updatedAt: instant,
  },
  required: ['id', 'name', 'customerId', 'designerUserId', 'legacy', 'stage', 'history', 'createdAt', 'updatedAt'],
  indexes: ['updatedAt'],
} as const satisfies CollectionSchema;

export interface DesignHistoryEntry {
  at: string;
  kind: DesignHistoryKind;
  environmentId?: string;
  versionNumber?: number;
  userId?: string;
  senderId?: string;
  stationId?: string;
  note?: string;
}

export interface DesignProject {
  id: string;
  name: string;
  customerId: string;
  designerUserId: string;
  designProjectId?: string;
  legacy: boolean;
  stage: DesignProjectStage;
  contract?: { status: 'awaiting_release' | 'released'; convertedAt: string; releasedAt?: string; releasedBy?: string };
  reviewerUserId?: string;
  reviewStartedAt?: string;
  reviewFinishedAt?: string;
  history: DesignHistoryEntry[];
  createdAt: string;
  updatedAt: string;
}
